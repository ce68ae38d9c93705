"""The frame of a synthetic project: its mkdocs.yml (this repository's theme and
plugin options) and its hand-written pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent.parent


def mkdocs_yml(out: Path, products: int) -> str:
    """The project's mkdocs.yml: the repository's theme, assets, Markdown and nav."""
    # The repository's own file: if it cannot be read, say so (a synthetic site
    # without the theme's stylesheets would measure something else).
    loaded = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), _Loader)
    config: dict[str, object] = loaded if isinstance(loaded, dict) else {}
    theme = dict(config.get("theme") or {"name": "material", "language": "vi", "font": False})
    theme["custom_dir"] = str(REPO_ROOT / "theme")
    result: dict[str, object] = {
        "site_name": "Sản phẩm OCOP (dữ liệu tổng hợp)",
        "site_description": f"Danh mục tổng hợp {products} sản phẩm để đo hiệu năng",
        "site_url": "https://ocop.example.vn/",
        "docs_dir": "content",
        "site_dir": "site",
        "use_directory_urls": True,
        "strict": True,
        "exclude_docs": "points-of-sale/\nfairs/\n*.yaml\n*.yml\n",
        "theme": theme,
    }
    for key in ("extra_css", "extra_javascript", "markdown_extensions", "extra"):
        if key in config:
            result[key] = config[key]
    options: dict[str, object] = {
        "notice": "Dữ liệu tổng hợp: mọi tên, địa chỉ và giấy chứng nhận đều hư cấu."}
    # The repository's English for its menu's labels (the nav is the repository's).
    for plugin in config.get("plugins") or ():
        ocop = plugin.get("ocop") if isinstance(plugin, dict) else None
        if isinstance(ocop, dict) and "translations" in ocop:
            options["translations"] = ocop["translations"]
    result["plugins"] = [{"ocop": options}]
    if "nav" in config:
        result["nav"] = config["nav"]
    return yaml.dump(result, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


class _PythonName(str):
    """A ``!!python/name:`` value of mkdocs.yml (a function MkDocs imports), kept as is."""


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps ``!!python/name:`` tags as text instead of importing them."""


_Loader.add_multi_constructor(
    "tag:yaml.org,2002:python/name:",
    lambda loader, suffix, node: _PythonName(suffix))


class _Dumper(yaml.SafeDumper):
    """Safe YAML with multi-line strings as literal blocks (readable exclude_docs)."""


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(
    _PythonName,
    lambda dumper, name: dumper.represent_scalar(f"tag:yaml.org,2002:python/name:{name}", ""))


def copy_pages(out: Path, config_text: str) -> None:
    """Hand-written pages the nav names (except the home page) come from the repository,
    with the pictures they show (``content/anh/``)."""
    content = out / "content"
    for page in sorted((REPO_ROOT / "content").glob("*.md")):
        if page.name != "index.md" and page.name in config_text:
            shutil.copyfile(page, content / page.name)
    if (REPO_ROOT / "content" / "anh").is_dir():
        shutil.copytree(REPO_ROOT / "content" / "anh", content / "anh", dirs_exist_ok=True)


HOME = """# Sản phẩm OCOP (dữ liệu tổng hợp)

Danh mục tổng hợp để đo hiệu năng: {products} sản phẩm đặc sản của {producers} chủ thể
OCOP ở {provinces} tỉnh, thành phố. Tên sản phẩm, cơ sở, địa chỉ và giấy chứng nhận
đều hư cấu.

- [Tất cả sản phẩm](san-pham.md)
- [Theo hạng sao](sao.md) · [theo nhóm](nhom.md) · [theo địa phương](dia-phuong.md)
"""
