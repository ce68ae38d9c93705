"""The open-data contract: the shape of the export files and their CSV columns.

One documented shape for the four JSON files: an envelope (``version``, ``kind``,
build date, licence, count) around ``items``, one per record, each with its
stable ``id`` (the record's file name) and its absolute page ``url``. The JSON
Schema of that shape (``export_schema``) is published beside the files and is
also what the open-data page documents, field by field, so the description
readers see and the contract tests check are one text. The writer
(``write.exports``) builds the items; the CSV columns below read them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..language import N_
from ..source.records import PRODUCER_TYPE_LABELS

#: Version of the export shape. Minor: fields added (readers ignore unknown
#: fields). Major: a field removed, renamed or changed in meaning.
#: 1.1: official codes of the province and commune (``province_code``, ``commune_code``);
#: a product's certificate history (``certificates``, oldest first, each with ``current``);
#: ``ocop`` stays, the current certificate, as in 1.0 (plus ``current``, always true).
#: 1.2: English text staff gave (``description_en``, a producer's ``name_en`` and
#: ``story_en``, a point of sale's and a fair's ``name_en``).
EXPORT_VERSION = "1.2"

KIND_LABELS = {
    "products": N_("Sản phẩm OCOP"),
    "producers": N_("Chủ thể OCOP"),
    "points_of_sale": N_("Điểm bán"),
    "fairs": N_("Hội chợ, triển lãm"),
}


# --- the JSON Schema: the one description of the shape ---------------------------

def _t(kind: str | list[str], description: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "description": description, **extra}


def _obj(properties: dict[str, dict[str, Any]], description: str,
         nullable: bool = False) -> dict[str, Any]:
    """A closed object: every property present (null when unknown), none other."""
    return {
        "type": ["object", "null"] if nullable else "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _ref(name: str, description: str, nullable: bool = False) -> dict[str, Any]:
    target = {"$ref": f"#/$defs/{name}"}
    if nullable:
        return {"description": description, "anyOf": [target, {"type": "null"}]}
    return {"description": description, **target}


def _list(items: dict[str, Any], description: str) -> dict[str, Any]:
    return {"type": "array", "description": description, "items": items}


_TEXT = ["string", "null"]
_CODE = ["integer", "null"]
_PROVINCE_CODE = (N_("Mã tỉnh, thành phố theo danh mục đơn vị hành chính chính thức "
                  "(từ 1/7/2025); null khi tên không có trong danh mục"))
_COMMUNE_CODE = (N_("Mã xã, phường, đặc khu theo danh mục chính thức; null khi tên không có "
                 "trong danh mục"))
_DATE = {"format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_ID = {"type": "string", "pattern": r"^[a-z0-9]+(?:-[a-z0-9]+)*$"}
_URL = {"type": "string", "format": "uri"}


def export_schema(schema_url: str) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of every export file; descriptions in Vietnamese."""
    named = _obj({
        "id": _t("string", N_("Mã"), pattern=_ID["pattern"]),
        "name": _t("string", N_("Tên")),
    }, N_("Mã và tên"))
    defs: dict[str, Any] = {
        "address": _obj({
            "street": _t(_TEXT, N_("Ấp, khóm, số nhà, đường")),
            "commune": _t("string", N_("Xã, phường hoặc đặc khu hiện nay")),
            "province": _t("string", N_("Tỉnh, thành phố")),
            "commune_code": _t(_CODE, _COMMUNE_CODE, minimum=1),
            "province_code": _t(_CODE, _PROVINCE_CODE, minimum=1),
            "district_before_2025": _t(_TEXT, N_("Huyện/thị xã cũ ghi trên giấy chứng nhận "
                                              "cấp trước 1/7/2025")),
        }, N_("Địa chỉ theo đơn vị hành chính từ 1/7/2025")),
        "location": _obj({
            "lat": _t("number", N_("Vĩ độ (WGS 84)")),
            "lon": _t("number", N_("Kinh độ (WGS 84)")),
        }, N_("Tọa độ trên bản đồ"), nullable=True),
        "contacts": _obj({
            "phone": _t(_TEXT, N_("Số điện thoại, như được ghi")),
            "email": _t(_TEXT, N_("Thư điện tử")),
            "website": _t(_TEXT, "Trang web"),
            "zalo": _t(_TEXT, N_("Số Zalo")),
        }, N_("Liên hệ")),
        "named": named,
        "certificate": _obj({
            "stars": _t("integer", N_("Số sao được công nhận (3, 4 hoặc 5)"),
                        minimum=1, maximum=5),
            "score": _t(["integer", "null"], N_("Điểm đánh giá (0–100)"), minimum=0,
                        maximum=100),
            "level": _t(_TEXT, N_("Cấp công nhận: district, province, central"),
                        enum=["district", "province", "central", None]),
            "decision": _t("string", N_("Số quyết định công nhận")),
            "certificate": _t(_TEXT, N_("Số giấy chứng nhận")),
            "issued": _t("string", N_("Ngày cấp (YYYY-MM-DD)"), **_DATE),
            "expires": _t("string", N_("Ngày hết hạn (YYYY-MM-DD), ghi trên giấy hoặc "
                                    "36 tháng từ ngày cấp"), **_DATE),
            "status": _t("string", N_("Tình trạng vào ngày dữ liệu (build_date): valid "
                                   "(còn hiệu lực), expiring (hết hạn trong 90 ngày), "
                                   "expired (hết hạn), revoked (đã thu hồi)"),
                         enum=["valid", "expiring", "expired", "revoked"]),
            "certified": _t("boolean", N_("Đúng khi giấy chứng nhận này đang có hiệu lực "
                                       "(valid hoặc expiring); với ocop: sản phẩm đang "
                                       "được công nhận OCOP")),
            "revoked": _obj({
                "date": _t("string", N_("Ngày thu hồi"), **_DATE),
                "decision": _t(_TEXT, N_("Số quyết định thu hồi")),
                "reason": _t(_TEXT, N_("Lý do thu hồi")),
            }, N_("Thu hồi giấy chứng nhận, nếu có"), nullable=True),
            "current": _t("boolean", N_("Đúng với giấy chứng nhận hiện tại (trùng với ocop)")),
        }, N_("Kết quả phân hạng và giấy chứng nhận OCOP")),
        "product": _obj({
            "id": _t("string", N_("Mã sản phẩm, không đổi (tên tệp dữ liệu)"),
                     pattern=_ID["pattern"]),
            "url": _t("string", N_("Trang sản phẩm"), format="uri"),
            "name": _t("string", N_("Tên sản phẩm")),
            "name_en": _t(_TEXT, N_("Tên tiếng Anh")),
            "group": _ref("named", N_("Nhóm sản phẩm OCOP (Quyết định 148/QĐ-TTg)")),
            "subgroup": _ref("named", N_("Phân nhóm sản phẩm OCOP")),
            "producer": _obj({
                "id": _t("string", N_("Mã chủ thể"), pattern=_ID["pattern"]),
                "name": _t("string", N_("Tên chủ thể")),
                "url": _t("string", N_("Trang chủ thể"), format="uri"),
            }, N_("Chủ thể sản xuất")),
            "commune": _t("string", N_("Xã, phường của chủ thể")),
            "province": _t("string", N_("Tỉnh, thành phố của chủ thể")),
            "commune_code": _t(_CODE, _COMMUNE_CODE, minimum=1),
            "province_code": _t(_CODE, _PROVINCE_CODE, minimum=1),
            "ocop": _ref("certificate", N_("Giấy chứng nhận hiện tại: lần công nhận mới nhất "
                                        "còn hiệu lực, nếu không có thì lần mới nhất")),
            "certificates": _list(_ref("certificate", N_("Một lần công nhận")),
                                  N_("Lịch sử công nhận, cũ trước mới sau (một mục khi sản "
                                  "phẩm mới được công nhận một lần); mục hiện tại có "
                                  "current = true và trùng với ocop")),
            "price": _obj({
                "amount": _t("integer", N_("Giá bằng đồng"), minimum=0),
                "currency": _t("string", N_("Luôn là VND"), const="VND"),
                "unit": _t("string", N_("Đơn vị tính")),
            }, N_("Giá bán lẻ tham khảo"), nullable=True),
            "packaging": _t(_TEXT, N_("Quy cách đóng gói")),
            "net_quantity": _t(_TEXT, N_("Khối lượng/thể tích tịnh")),
            "shelf_life": _t(_TEXT, N_("Hạn sử dụng")),
            "ingredients": _t(_TEXT, N_("Thành phần")),
            "standards": _list({"type": "string"}, N_("Tiêu chuẩn công bố, chứng nhận")),
            "traceability": _t(_TEXT, N_("Đường dẫn truy xuất nguồn gốc")),
            "online_shops": _list(_obj({
                "name": _t("string", N_("Tên gian hàng")),
                "url": _t("string", N_("Địa chỉ gian hàng")),
            }, N_("Gian hàng trực tuyến")), N_("Gian hàng trực tuyến")),
            "photos": _list(_obj({
                "url": _t("string", N_("Ảnh (JPEG/PNG, bản lớn nhất)"), format="uri"),
                "alt": _t("string", N_("Mô tả ảnh")),
                "width": _t("integer", N_("Chiều rộng (điểm ảnh)")),
                "height": _t("integer", N_("Chiều cao (điểm ảnh)")),
            }, N_("Một ảnh")), N_("Ảnh sản phẩm")),
            "description": _t(_TEXT, N_("Mô tả (Markdown do cán bộ nhập; hãy làm sạch trước "
                                     "khi hiển thị như HTML)")),
            "description_en": _t(_TEXT, N_("Mô tả bằng tiếng Anh (Markdown)")),
            "points_of_sale": _list(
                _ID, N_("Mã các điểm bán có sản phẩm (xem points-of-sale.json)")),
            "fairs": _list(_ID, N_("Mã các hội chợ trưng bày sản phẩm (xem fairs.json)")),
            "verify_url": _t("string", N_("Đường dẫn ngắn để kiểm tra chứng nhận (mã QR dẫn tới)"),
                             format="uri"),
            "qr_code_url": _t("string", N_("Mã QR của verify_url (SVG, để in)"), format="uri"),
        }, N_("Một sản phẩm")),
        "producer": _obj({
            "id": _t("string", N_("Mã chủ thể, không đổi (tên thư mục dữ liệu)"),
                     pattern=_ID["pattern"]),
            "url": _t("string", N_("Trang chủ thể"), format="uri"),
            "name": _t("string", N_("Tên chủ thể")),
            "name_en": _t(_TEXT, N_("Tên tiếng Anh")),
            "type": _t("string", N_("Loại chủ thể: cooperative (hợp tác xã), cooperative_group "
                                 "(tổ hợp tác), enterprise (doanh nghiệp), household "
                                 "(hộ, cơ sở sản xuất)"), enum=list(PRODUCER_TYPE_LABELS)),
            "type_label": _t("string", N_("Loại chủ thể bằng tiếng Việt")),
            "address": _ref("address", N_("Địa chỉ")),
            "location": _ref("location", N_("Tọa độ"), nullable=True),
            "contacts": _ref("contacts", N_("Liên hệ")),
            "representative": _t(_TEXT, N_("Người đại diện")),
            "logo_url": _t(_TEXT, "Logo", format="uri"),
            "supplier": _obj({
                "capacity": _t(_TEXT, N_("Năng lực sản xuất")),
                "minimum_order": _t(_TEXT, N_("Đơn hàng tối thiểu")),
                "wholesale": _t("boolean", N_("Có bán sỉ")),
                "standards": _list({"type": "string"}, N_("Tiêu chuẩn đạt được, như được ghi "
                                                       "(VietGAP, HACCP, ISO 22000…)")),
            }, N_("Thông tin cho nhà bán lẻ, người mua sỉ")),
            "product_groups": _list(_ref("named", N_("Nhóm")),
                                    N_("Nhóm sản phẩm của các sản phẩm")),
            "stars": _list({"type": "integer", "minimum": 3, "maximum": 5},
                           N_("Các hạng sao của sản phẩm đang được công nhận, cao trước")),
            "products": _list(_ID, N_("Mã các sản phẩm (xem products.json)")),
            "story": _t(_TEXT, N_("Giới thiệu (Markdown do cán bộ nhập)")),
            "story_en": _t(_TEXT, N_("Câu chuyện bằng tiếng Anh (Markdown)")),
            "vcard_url": _t("string", N_("Danh thiếp liên hệ (vCard 4.0)"), format="uri"),
        }, N_("Một chủ thể OCOP")),
        "point_of_sale": _obj({
            "id": _t("string", N_("Mã điểm bán, không đổi"), pattern=_ID["pattern"]),
            "url": _t("string", N_("Trang điểm bán"), format="uri"),
            "name": _t("string", N_("Tên điểm bán")),
            "name_en": _t(_TEXT, N_("Tên tiếng Anh")),
            "kind": _t("string", N_("Loại: showroom, shop, supermarket, market, online"),
                       enum=["showroom", "shop", "supermarket", "market", "online"]),
            "address": _ref("address", N_("Địa chỉ (không có với cửa hàng trực tuyến)"),
                            nullable=True),
            "location": _ref("location", N_("Tọa độ"), nullable=True),
            "opening_hours": _t(_TEXT, N_("Giờ mở cửa")),
            "contacts": _ref("contacts", N_("Liên hệ")),
            "producers": _list(_ID, N_("Mã các chủ thể bán mọi sản phẩm tại đây")),
            "products": _list(_ID, N_("Mã mọi sản phẩm có bán tại đây (kể cả qua chủ thể)")),
            "description": _t(_TEXT, N_("Giới thiệu (Markdown)")),
        }, N_("Một điểm bán")),
        "fair": _obj({
            "id": _t("string", N_("Mã hội chợ, không đổi"), pattern=_ID["pattern"]),
            "url": _t("string", N_("Trang hội chợ"), format="uri"),
            "name": _t("string", N_("Tên hội chợ")),
            "name_en": _t(_TEXT, N_("Tên tiếng Anh")),
            "starts": _t("string", N_("Ngày khai mạc"), **_DATE),
            "ends": _t("string", N_("Ngày bế mạc"), **_DATE),
            "venue": _t("string", N_("Địa điểm")),
            "city": _t("string", N_("Thành phố, tỉnh")),
            "organiser": _t(_TEXT, N_("Đơn vị tổ chức")),
            "link": _t(_TEXT, N_("Trang thông tin")),
            "exhibitors": _list(_obj({
                "producer": _t("string", N_("Mã chủ thể"), pattern=_ID["pattern"]),
                "booth": _t(_TEXT, N_("Gian hàng số")),
                "products": _list(_ID, N_("Mã sản phẩm trưng bày (trống: mọi sản phẩm)")),
            }, N_("Một chủ thể tham gia")), N_("Chủ thể tham gia")),
            "description": _t(_TEXT, N_("Giới thiệu (Markdown)")),
        }, N_("Một hội chợ")),
    }
    item_defs = {"products": "product", "producers": "producer",
                 "points_of_sale": "point_of_sale", "fairs": "fair"}
    envelope = {
        "version": _t("string", N_("Phiên bản cấu trúc dữ liệu (major.minor); cùng major thì "
                                "chỉ có thêm trường"), pattern=r"^1\.\d+$"),
        "kind": _t("string", N_("Loại bản ghi: products, producers, points_of_sale, fairs"),
                   enum=list(item_defs)),
        "build_date": _t("string", N_("Ngày dữ liệu: tình trạng chứng nhận tính đến ngày này"),
                         **_DATE),
        "site": _t("string", N_("Trang danh mục"), format="uri"),
        "licence": _obj({
            "name": _t("string", N_("Tên giấy phép")),
            "url": _t(_TEXT, N_("Văn bản giấy phép")),
        }, N_("Giấy phép sử dụng dữ liệu")),
        "count": _t("integer", N_("Số bản ghi trong items"), minimum=0),
        "items": _t("array", N_("Các bản ghi, theo thứ tự mã")),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url,
        "title": N_("Dữ liệu mở danh mục sản phẩm OCOP"),
        "description": N_("Cấu trúc chung của products.json, producers.json, "
                       "points-of-sale.json và fairs.json."),
        "type": "object",
        "properties": {"$schema": _t("string", N_("Địa chỉ của lược đồ này"), format="uri"),
                       **envelope},
        "required": list(envelope),
        "additionalProperties": False,
        "allOf": [
            {"if": {"properties": {"kind": {"const": kind}}},
             "then": {"properties": {"items": {"items": {"$ref": f"#/$defs/{name}"}}}}}
            for kind, name in item_defs.items()
        ],
        "$defs": defs,
    }


# --- records to export items ---------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One CSV column: its header, what it holds, and how to read it from a JSON item."""

    name: str
    description: str
    value: Callable[[dict[str, Any]], Any]


def _join(values: Iterable[Any]) -> str:
    return "; ".join(str(v) for v in values)


def _bool(value: bool) -> str:
    return "true" if value else "false"


PRODUCT_COLUMNS: tuple[Column, ...] = (
    Column("id", N_("Mã sản phẩm"), lambda i: i["id"]),
    Column("url", N_("Trang sản phẩm"), lambda i: i["url"]),
    Column("name", N_("Tên sản phẩm"), lambda i: i["name"]),
    Column("name_en", N_("Tên tiếng Anh"), lambda i: i["name_en"]),
    Column("group", N_("Nhóm sản phẩm"), lambda i: i["group"]["name"]),
    Column("subgroup", N_("Phân nhóm"), lambda i: i["subgroup"]["name"]),
    Column("producer_id", N_("Mã chủ thể"), lambda i: i["producer"]["id"]),
    Column("producer", N_("Tên chủ thể"), lambda i: i["producer"]["name"]),
    Column("commune", N_("Xã, phường"), lambda i: i["commune"]),
    Column("province", N_("Tỉnh, thành phố"), lambda i: i["province"]),
    Column("stars", N_("Số sao"), lambda i: i["ocop"]["stars"]),
    Column("score", N_("Điểm"), lambda i: i["ocop"]["score"]),
    Column("decision", N_("Quyết định công nhận"), lambda i: i["ocop"]["decision"]),
    Column("certificate", N_("Số giấy chứng nhận"), lambda i: i["ocop"]["certificate"]),
    Column("issued", N_("Ngày cấp (YYYY-MM-DD)"), lambda i: i["ocop"]["issued"]),
    Column("expires", N_("Ngày hết hạn (YYYY-MM-DD)"), lambda i: i["ocop"]["expires"]),
    Column("status", N_("Tình trạng: valid, expiring, expired, revoked"),
           lambda i: i["ocop"]["status"]),
    Column("price", N_("Giá (đồng)"), lambda i: i["price"]["amount"] if i["price"] else None),
    Column("price_unit", N_("Đơn vị tính"), lambda i: i["price"]["unit"] if i["price"] else None),
    Column("net_quantity", N_("Khối lượng tịnh"), lambda i: i["net_quantity"]),
    Column("shelf_life", N_("Hạn sử dụng"), lambda i: i["shelf_life"]),
    Column("standards", N_("Tiêu chuẩn (cách nhau bởi ;)"), lambda i: _join(i["standards"])),
    Column("points_of_sale", N_("Mã điểm bán (cách nhau bởi ;)"),
           lambda i: _join(i["points_of_sale"])),
    Column("verify_url", N_("Đường dẫn kiểm tra chứng nhận"), lambda i: i["verify_url"]),
    # Added in 1.1, last so that readers by column position keep working.
    Column("commune_code", N_("Mã xã, phường (danh mục chính thức)"), lambda i: i["commune_code"]),
    Column("province_code", N_("Mã tỉnh, thành phố"), lambda i: i["province_code"]),
    Column("history", N_("Các lần công nhận, cũ trước mới sau: ngày cấp và số sao "
                      "(2021-06-15 3; 2024-06-20 4)"),
           lambda i: _join(f"{c['issued']} {c['stars']}" for c in i["certificates"])),
)

PRODUCER_COLUMNS: tuple[Column, ...] = (
    Column("id", N_("Mã chủ thể"), lambda i: i["id"]),
    Column("url", N_("Trang chủ thể"), lambda i: i["url"]),
    Column("name", N_("Tên chủ thể"), lambda i: i["name"]),
    Column("type", N_("Loại chủ thể (mã)"), lambda i: i["type"]),
    Column("type_label", N_("Loại chủ thể"), lambda i: i["type_label"]),
    Column("street", N_("Ấp, khóm, số nhà"), lambda i: i["address"]["street"]),
    Column("commune", N_("Xã, phường"), lambda i: i["address"]["commune"]),
    Column("province", N_("Tỉnh, thành phố"), lambda i: i["address"]["province"]),
    Column("district_before_2025", N_("Huyện cũ (trước 1/7/2025)"),
           lambda i: i["address"]["district_before_2025"]),
    Column("lat", N_("Vĩ độ"), lambda i: i["location"]["lat"] if i["location"] else None),
    Column("lon", N_("Kinh độ"), lambda i: i["location"]["lon"] if i["location"] else None),
    Column("phone", N_("Điện thoại"), lambda i: i["contacts"]["phone"]),
    Column("email", N_("Thư điện tử"), lambda i: i["contacts"]["email"]),
    Column("website", "Trang web", lambda i: i["contacts"]["website"]),
    Column("zalo", "Zalo", lambda i: i["contacts"]["zalo"]),
    Column("representative", N_("Người đại diện"), lambda i: i["representative"]),
    Column("capacity", N_("Năng lực sản xuất"), lambda i: i["supplier"]["capacity"]),
    Column("minimum_order", N_("Đơn hàng tối thiểu"), lambda i: i["supplier"]["minimum_order"]),
    Column("wholesale", N_("Bán sỉ: true/false"), lambda i: _bool(i["supplier"]["wholesale"])),
    Column("standards", N_("Tiêu chuẩn (cách nhau bởi ;)"),
           lambda i: _join(i["supplier"]["standards"])),
    Column("product_groups", N_("Nhóm sản phẩm (cách nhau bởi ;)"),
           lambda i: _join(g["name"] for g in i["product_groups"])),
    Column("stars", N_("Hạng sao đang được công nhận (cách nhau bởi ;)"),
           lambda i: _join(i["stars"])),
    Column("products", N_("Mã sản phẩm (cách nhau bởi ;)"), lambda i: _join(i["products"])),
    Column("vcard_url", N_("Danh thiếp vCard"), lambda i: i["vcard_url"]),
    # Added in 1.1, last so that readers by column position keep working.
    Column("commune_code", N_("Mã xã, phường (danh mục chính thức)"),
           lambda i: i["address"]["commune_code"]),
    Column("province_code", N_("Mã tỉnh, thành phố"), lambda i: i["address"]["province_code"]),
)

CSV_COLUMNS: dict[str, tuple[Column, ...]] = {
    "products": PRODUCT_COLUMNS,
    "producers": PRODUCER_COLUMNS,
}
