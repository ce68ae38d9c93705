/* The web editor (/quan-tri/): Decap CMS reads record files with js-yaml and writes
 * them in ocop fmt's canonical form. The rules are those of
 * generator/source/canonical.py, line for line; tests/test_web_editor.py runs both
 * on every sample file and on awkward text and requires the same bytes.
 *
 * Loaded before decap-cms.js: it asks Decap to wait (CMS_MANUAL_INIT), fetches the
 * record shapes the build wrote (editor.json), registers one format per record
 * kind, then starts Decap. In Node (the tests) it only exports the functions. */
(function (root) {
  'use strict';

  var INDENT = '  ';
  // Text a YAML 1.1 or 1.2 reader would turn into something else when bare.
  var RESOLVED = new RegExp(
    '^(?:~|null|Null|NULL' +
    '|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF' +
    '|[-+]?(?:0b[0-1_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*)' +
    '|[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*(?:[eE][-+]?[0-9]+)?' +
    '|[-+]?[0-9][0-9_]*(?:\\.[0-9_]*)?[eE][-+]?[0-9]+' +
    '|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*' +
    '|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)' +
    '|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \\t]+)[0-9].*)?' +
    '|<<|=)$');
  var PLAIN = /^[^\s#&*!|>'"%@`{}\[\],?:\-][^#\n]*$/;
  var ESCAPED = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
  var ESCAPED_ALL = /[\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;
  var SHORT = { '\\': '\\\\', '"': '\\"', '\b': '\\b', '\t': '\\t', '\n': '\\n',
                '\f': '\\f', '\r': '\\r' };
  var TYPED = {
    int: /^-?[0-9]+$/,
    float: /^-?[0-9]+(?:\.[0-9]+)?$/,
    bool: /^(?:true|false)$/,
    date: /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/
  };

  function quoted(text) {
    return '"' + text.replace(ESCAPED_ALL, function (ch) {
      return SHORT[ch] || '\\u' + ('000' + ch.charCodeAt(0).toString(16)).slice(-4);
    }) + '"';
  }

  // Python's str.strip() and JavaScript's trim() differ only on characters that
  // ESCAPED already refuses (\x1c-\x1f, \x85, \ufeff).
  function isPlain(text) {
    return PLAIN.test(text) && text === text.trim() && text.indexOf('\t') < 0 &&
      text.indexOf(': ') < 0 && text.slice(-1) !== ':' && !ESCAPED.test(text) &&
      !RESOLVED.test(text);
  }

  function textLines(text, indent) {
    if (text.indexOf('\n') >= 0 && text.indexOf('\r') < 0 &&
        !ESCAPED.test(text.replace(/\n/g, '')) && text.trim() !== '' &&
        !/^\n*[ \t]/.test(text)) {
      var ends = text.slice(-1) === '\n';
      var chomp = ends && text.slice(-2) !== '\n\n' ? '' : (ends ? '+' : '-');
      var body = ends ? text.slice(0, -1) : text;
      return ['|' + chomp].concat(body.split('\n').map(function (line) {
        return line ? indent + line : '';
      }));
    }
    return [isPlain(text) ? text : quoted(text)];
  }

  // NFC, as yamlsafe reads: accents typed with a "decomposed" input method (Unikey's
  // Unicode tổ hợp) are written composed.
  function asText(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return String(value).normalize('NFC');
  }

  function scalarLines(value, shape, indent) {
    var text = asText(value);
    if (shape === 'phone') return [quoted(text)];
    var pattern = typeof shape === 'string' ? TYPED[shape] : undefined;
    if (pattern && pattern.test(text)) return [text];
    return textLines(text, indent);
  }

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value) &&
      !(value instanceof Date);
  }

  function isEmpty(value) {
    if (value === null || value === undefined || value === '') return true;
    if (Array.isArray(value)) return value.every(isEmpty);
    if (isObject(value)) return Object.keys(value).every(function (k) { return isEmpty(value[k]); });
    return false;
  }

  function key(name) {
    name = name.normalize('NFC');
    return isPlain(name) ? name : quoted(name);
  }

  function valueLines(value, shape, depth) {
    var inner = INDENT.repeat(depth + 1);
    if (Array.isArray(value)) {
      var itemShape = Array.isArray(shape) && shape[0] === 'list' ? shape[1] : 'str';
      var out = [''];
      value.forEach(function (item) {
        if (isEmpty(item)) return;
        var lines = itemLines(item, itemShape, depth + 2);
        out.push(inner + '-' + lines[0]);
        out.push.apply(out, lines.slice(1));
      });
      return out;
    }
    if (isObject(value)) {
      var fields = Array.isArray(shape) && shape[0] === 'record' ? shape[1] : [];
      return [''].concat(mappingLines(value, fields, depth + 1));
    }
    var lines = scalarLines(value, shape, inner);
    return [' ' + lines[0]].concat(lines.slice(1));
  }

  function itemLines(item, shape, depth) {
    if (isObject(item)) {
      var fields = Array.isArray(shape) && shape[0] === 'record' ? shape[1] : [];
      var lines = mappingLines(item, fields, depth);
      return [' ' + lines[0].slice(INDENT.repeat(depth).length)].concat(lines.slice(1));
    }
    return valueLines(item, shape, depth - 1);
  }

  function mappingLines(data, fields, depth) {
    var known = {};
    fields.forEach(function (f) { known[f[0]] = f[1]; });
    var order = fields.map(function (f) { return f[0]; }).filter(function (name) {
      return Object.prototype.hasOwnProperty.call(data, name);
    });
    Object.keys(data).forEach(function (name) {
      if (!Object.prototype.hasOwnProperty.call(known, name)) order.push(name);
    });
    var out = [];
    order.forEach(function (name) {
      var value = data[name];
      if (isEmpty(value)) return;
      var shape = Object.prototype.hasOwnProperty.call(known, name) ? known[name] : 'str';
      var lines = valueLines(value, shape, depth);
      out.push(INDENT.repeat(depth) + key(name) + ':' + lines[0]);
      out.push.apply(out, lines.slice(1));
    });
    return out;
  }

  /** The canonical text of a record (plain data) of the kind ``record`` describes. */
  function canonicalText(record, data) {
    return [record.schema_line].concat(mappingLines(data, record.fields, 0)).join('\n') + '\n';
  }

  /** Values as the form widgets expect them. Only booleans are converted: numbers stay
   * the text they were written as ("10.380", "0120000"), which the number widget shows
   * and checks as it is, so saving another field never rewrites them; a number staff
   * type becomes a Number, written back by String(). */
  function typed(value, shape) {
    if (Array.isArray(value)) {
      var itemShape = Array.isArray(shape) && shape[0] === 'list' ? shape[1] : 'str';
      return value.map(function (item) { return typed(item, itemShape); });
    }
    if (isObject(value)) {
      var fields = Array.isArray(shape) && shape[0] === 'record' ? shape[1] : [];
      var known = {};
      fields.forEach(function (f) { known[f[0]] = f[1]; });
      var out = {};
      Object.keys(value).forEach(function (name) {
        out[name.normalize('NFC')] = typed(value[name],
          Object.prototype.hasOwnProperty.call(known, name) ? known[name] : 'str');
      });
      return out;
    }
    if (typeof value !== 'string') return value;
    if (shape === 'bool' && TYPED.bool.test(value)) return value === 'true';
    // yamlsafe reads text as NFC (Unicode's composed form) too.
    return value.normalize('NFC');
  }

  /** The kind a record file holds, from its $schema line (producer.yaml and products
   * share one folder). */
  function kindOf(content) {
    var match = /^\ufeff?# yaml-language-server: \$schema=\S*\/([a-z-]+)\.schema\.json/.exec(content);
    return match ? match[1] : null;
  }

  // As yamlsafe reads: every value text, except the null words (~, null, empty) when
  // written bare; js-yaml applies implicit types to plain scalars only.
  function textSchema(yaml) {
    return yaml.FAILSAFE_SCHEMA.extend({ implicit: [yaml.types.null] });
  }

  function formatter(kind, record, yaml, folderField) {
    var schema = textSchema(yaml);
    return {
      fromFile: function (content) {
        var data = yaml.load(content, { schema: schema }) || {};
        data = typed(data, ['record', record.fields]);
        data._kind = kindOf(content) || (data.category !== undefined ? 'product' :
          data.type !== undefined ? 'producer' : kind);
        return data;
      },
      toFile: function (data) {
        // Keys the editor adds and files never hold: `_kind` (which list an entry is in)
        // and, for products, the producer chooser (a new product's folder, not a field).
        var clean = {};
        Object.keys(data).forEach(function (name) {
          if (name === '_kind' || (name === folderField && kind === 'product')) return;
          clean[name] = data[name];
        });
        return canonicalText(record, clean);
      }
    };
  }

  /** Before saving: a new product goes into the folder of the producer chosen (the
   * relation's value is "<products folder>/<producer id>"; the path needs the id). */
  function preSave(settings) {
    var field = settings.product_folder_field;
    var prefix = settings.products_folder + '/';
    return function (args) {
      var entry = args.entry;
      var data = entry.get('data');
      if (entry.get('collection') !== 'products') return data;
      var producer = data.get(field);
      if (entry.get('newRecord') && !producer) {
        throw new Error('hãy chọn chủ thể của sản phẩm mới (ô “Chủ thể”)');
      }
      if (typeof producer === 'string' && producer.indexOf(prefix) === 0) {
        return data.set(field, producer.slice(prefix.length));
      }
      return data;
    };
  }

  /** Refuse, before upload, a photo the build cannot use (an iPhone's HEIC, a GIF …):
   * Decap's picker offers any image. Listens before Decap (capture, on the document). */
  function guardPhotos(doc, suffixes, alert) {
    doc.addEventListener('change', function (event) {
      var input = event.target;
      if (!input || input.type !== 'file' || !input.files) return;
      var bad = Array.prototype.filter.call(input.files, function (file) {
        var dot = file.name.lastIndexOf('.');
        return dot < 0 || suffixes.indexOf(file.name.slice(dot).toLowerCase()) < 0;
      });
      if (!bad.length) return;
      event.stopImmediatePropagation();
      input.value = '';
      alert('Không dùng được ảnh “' + bad[0].name + '”: chỉ nhận ảnh ' +
        suffixes.map(function (s) { return s.slice(1).toUpperCase(); }).join(', ') +
        '. Hãy lưu ảnh dạng JPG rồi tải lên lại.');
    }, true);
  }

  var api = { canonicalText: canonicalText, isPlain: isPlain, textLines: textLines,
              typed: typed, formatter: formatter, kindOf: kindOf, preSave: preSave };

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
    return;
  }
  root.OcopCms = api;
  root.CMS_MANUAL_INIT = true;
  root.addEventListener('DOMContentLoaded', function () {
    fetch('editor.json').then(function (response) {
      if (!response.ok) throw new Error('editor.json: ' + response.status);
      return response.json();
    }).then(function (settings) {
      Object.keys(settings.records).forEach(function (kind) {
        root.CMS.registerCustomFormat('ocop-' + kind, 'yaml', formatter(
          kind, settings.records[kind], root.jsyaml, settings.product_folder_field));
      });
      root.CMS.registerEventListener({ name: 'preSave', handler: preSave(settings) });
      guardPhotos(document, settings.photo_suffixes, root.alert.bind(root));
      root.CMS.init();
    }).catch(function (error) {
      document.body.textContent = 'Không mở được trình sửa dữ liệu: ' + error.message;
    });
  });
}(typeof window !== 'undefined' ? window : this));
