"""The record kinds staff write, declared once (see ``schema``).

Field docs are in Vietnamese: they become the hover text of the JSON Schemas in
staff's editors. Derived fields are filled by ``catalogue.link`` at build time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..language import N_
from .admin_units import OfficialCommune, OfficialProvince
from .certificates import CertificateStatus
from .fields import Source, derived, spec
from .groups import Category

ProducerType = Literal["cooperative", "cooperative_group", "enterprise", "household"]
PointOfSaleKind = Literal["showroom", "shop", "supermarket", "market", "online"]

#: Vietnamese names of the producer types, in the order pages list them.
PRODUCER_TYPE_LABELS: dict[str, str] = {
    "cooperative": N_("Hợp tác xã"),
    "cooperative_group": N_("Tổ hợp tác"),
    "enterprise": N_("Doanh nghiệp"),
    "household": N_("Hộ sản xuất kinh doanh"),
}
#: Vietnamese names of the point-of-sale kinds, in the order the index shows them.
POINT_OF_SALE_KINDS: dict[str, str] = {
    "showroom": N_("Điểm giới thiệu và bán sản phẩm OCOP"),
    "supermarket": N_("Siêu thị"),
    "shop": N_("Cửa hàng"),
    "market": N_("Chợ"),
    "online": N_("Cửa hàng trực tuyến"),
}
RecognitionLevel = Literal["district", "province", "central"]
#: Vietnamese names of the recognition levels.
LEVEL_LABELS: dict[str, str] = {
    "district": N_("Cấp huyện"),
    "province": N_("Cấp tỉnh"),
    "central": N_("Cấp trung ương"),
}


# Keyword-only: fields in the order an address is read (and record files list them).
@dataclass(kw_only=True, slots=True, weakref_slot=True)
class Address:
    """Địa chỉ theo đơn vị hành chính sau ngày 1/7/2025."""

    street: str | None = spec("Ấp, khóm, số nhà, đường", default=None)
    commune: str = spec("Xã, phường hoặc đặc khu hiện nay", example="Xã Ô Lâm")
    province: str = spec("Tỉnh hoặc thành phố", example="An Giang")
    district_before_2025: str | None = spec(
        "Huyện/thị xã cũ ghi trên giấy chứng nhận cấp trước 1/7/2025", default=None,
        example="Huyện Tri Tôn", label="Huyện/thị xã cũ (trước 1/7/2025)",
    )

    #: The official units this address names (``link.addresses``); None when its
    #: name is not in the official list (a warning says so).
    official_province: OfficialProvince | None = derived()
    official_commune: OfficialCommune | None = derived()


@dataclass(slots=True, weakref_slot=True)
class Location:
    """Tọa độ trên bản đồ (WGS 84)."""

    # Any valid WGS 84 value parses; the linker says plainly when it is not in Vietnam.
    lat: float = spec("Vĩ độ, ví dụ 10.3801", minimum=-90.0, maximum=90.0)
    lon: float = spec("Kinh độ, ví dụ 104.9902", minimum=-180.0, maximum=180.0)


@dataclass(slots=True, weakref_slot=True)
class Contacts:
    """Thông tin liên hệ; mọi mục đều không bắt buộc."""

    phone: str | None = spec("Số điện thoại, đặt trong ngoặc kép", default=None, fmt="phone",
                             example="0296 3 871 234")
    email: str | None = spec("Thư điện tử", default=None, fmt="email")
    website: str | None = spec("Trang web (https://…)", default=None, fmt="url")
    zalo: str | None = spec("Số Zalo, đặt trong ngoặc kép", default=None, fmt="phone")


@dataclass(slots=True, weakref_slot=True)
class SupplierFacts:
    """Thông tin dành cho nhà bán lẻ, người mua sỉ."""

    capacity: str | None = spec("Năng lực sản xuất, ví dụ 30 tấn/năm", default=None)
    minimum_order: str | None = spec("Đơn hàng tối thiểu, ví dụ 100 hũ", default=None)
    wholesale: bool = spec("Có bán sỉ không (true/false)", default=False)
    standards: list[str] = spec("Tiêu chuẩn đạt được: VietGAP, HACCP, ISO 22000…",
                                default_factory=list)


@dataclass(kw_only=True, slots=True, weakref_slot=True)
class Producer:
    """Chủ thể OCOP: hợp tác xã, tổ hợp tác, doanh nghiệp, hộ sản xuất kinh doanh."""

    name: str = spec("Tên chủ thể")
    name_en: str | None = spec("Tên tiếng Anh", default=None)
    type: ProducerType = spec(
        "Loại chủ thể: cooperative (HTX), cooperative_group (tổ hợp tác), "
        "enterprise (doanh nghiệp), household (hộ/cơ sở sản xuất)"
    )
    address: Address = spec("Địa chỉ")
    location: Location | None = spec("Vị trí trên bản đồ", default=None)
    contacts: Contacts = spec("Liên hệ", default_factory=Contacts)
    representative: str | None = spec("Người đại diện", default=None)
    story: str | None = spec("Câu chuyện, giới thiệu (Markdown)", default=None, fmt="markdown")
    story_en: str | None = spec("Câu chuyện bằng tiếng Anh (Markdown)", default=None,
                                fmt="markdown")
    logo: str | None = spec("Tệp logo trong cùng thư mục", default=None, fmt="file",
                            label="Logo")
    supplier: SupplierFacts = spec("Thông tin cho người mua sỉ", default_factory=SupplierFacts)

    source: Source = derived()
    id: str = derived("")
    #: Absolute path of the logo file, resolved by the loader.
    logo_path: Path | None = derived()
    #: Slug of the producer's commune page.
    place_slug: str = derived("")
    products: list[Product] = derived(factory=list)


@dataclass(slots=True, weakref_slot=True)
class Revocation:
    """Quyết định thu hồi giấy chứng nhận OCOP."""

    date: dt.date = spec("Ngày thu hồi (YYYY-MM-DD)")
    decision: str | None = spec("Số quyết định thu hồi", default=None)
    reason: str | None = spec("Lý do", default=None)


# Keyword-only: fields in the order of the certificate itself (and of record files).
@dataclass(kw_only=True, slots=True, weakref_slot=True)
class Rating:
    """Kết quả đánh giá, phân hạng OCOP."""

    # OCOP certifies 3, 4 or 5 stars; a product rated 1–2 stars is not an OCOP product.
    stars: int = spec("Số sao được công nhận: 3, 4 hoặc 5", minimum=3, maximum=5)
    score: int | None = spec("Điểm đánh giá (0–100)", default=None, minimum=0, maximum=100)
    level: RecognitionLevel | None = spec(
        "Cấp công nhận: district (huyện), province (tỉnh), central (trung ương)", default=None
    )
    decision: str = spec("Số quyết định công nhận", example="86/QĐ-UBND")
    certificate: str | None = spec("Số giấy chứng nhận", default=None)
    issued: dt.date = spec("Ngày cấp giấy chứng nhận (YYYY-MM-DD)")
    expires: dt.date | None = spec(
        "Ngày hết hạn; bỏ trống thì tính 36 tháng từ ngày cấp", default=None
    )
    revoked: Revocation | None = spec("Thu hồi (nếu có)", default=None)


@dataclass(frozen=True, slots=True, weakref_slot=True)
class Certificate:
    """One certificate of a product's history, with its status on the build date."""

    rating: Rating
    status: CertificateStatus
    #: The certificate the product's pages show (the latest valid one, else the newest).
    current: bool
    #: Not current, and the next certificate was issued while this one still ran.
    superseded: bool

    @property
    def state(self) -> str:
        """What a history says of it: 'revoked' (on the build date), 'current' (what the
        pages show; it may itself have expired), 'superseded' or 'expired'."""
        if self.status.code == "revoked":
            return "revoked"
        if self.current:
            return "current"
        return "superseded" if self.superseded else "expired"


@dataclass(slots=True, weakref_slot=True)
class Photo:
    """Một ảnh sản phẩm."""

    file: str = spec("Tệp ảnh trong cùng thư mục (.jpg, .png, .webp)", fmt="file",
                     label="Ảnh")
    alt: str = spec("Mô tả ảnh cho người không nhìn thấy (bắt buộc)")

    #: Absolute path of the photo file, resolved by the loader.
    abs_path: Path = derived()


@dataclass(slots=True, weakref_slot=True)
class Price:
    """Giá bán lẻ tham khảo."""

    amount: int = spec("Giá bằng đồng, chỉ viết chữ số: 85000", minimum=0,
                       maximum=10_000_000_000)
    unit: str = spec("Đơn vị tính, ví dụ hũ 500 g")


@dataclass(slots=True, weakref_slot=True)
class OnlineShop:
    """Gian hàng trực tuyến."""

    name: str = spec("Tên gian hàng, ví dụ Gian hàng Shopee")
    url: str = spec("Địa chỉ gian hàng (https://…)", fmt="url")


# Keyword-only so the fields keep the order staff see in the scaffold and the guide,
# the optional certificate fields before the required photos.
@dataclass(kw_only=True, slots=True, weakref_slot=True)
class Product:
    """Sản phẩm OCOP."""

    name: str = spec("Tên sản phẩm")
    name_en: str | None = spec("Tên tiếng Anh", default=None)
    category: str = spec("Mã phân nhóm sản phẩm OCOP (xem danh mục)", fmt="slug",
                         example="thuc-pham-che-bien", label="Phân nhóm sản phẩm OCOP")
    #: Staff write it for a product certified once; for one written with
    #: ``certificates`` the linker sets it to the current certificate (what pages show).
    ocop: Rating | None = spec(
        "Kết quả phân hạng OCOP (một lần công nhận)", default=None, one_of="certificate")
    certificates: list[Rating] = spec(
        "Các lần công nhận OCOP khi sản phẩm được công nhận nhiều lần (công nhận lại, "
        "nâng hạng), cũ trước mới sau", default_factory=list, min_items=1,
        one_of="certificate", label="Các lần công nhận OCOP")
    photos: list[Photo] = spec("Ảnh sản phẩm, ít nhất một", min_items=1)
    description: str | None = spec("Mô tả (Markdown)", default=None, fmt="markdown")
    description_en: str | None = spec("Mô tả bằng tiếng Anh (Markdown)", default=None,
                                      fmt="markdown")
    price: Price | None = spec("Giá bán", default=None)
    packaging: str | None = spec("Quy cách đóng gói", default=None)
    net_quantity: str | None = spec("Khối lượng/thể tích tịnh", default=None)
    shelf_life: str | None = spec("Hạn sử dụng", default=None)
    ingredients: str | None = spec("Thành phần", default=None)
    standards: list[str] = spec("Tiêu chuẩn công bố, chứng nhận", default_factory=list)
    traceability: str | None = spec("Đường dẫn truy xuất nguồn gốc", default=None, fmt="url")
    online_shops: list[OnlineShop] = spec("Gian hàng trực tuyến", default_factory=list)

    source: Source = derived()
    id: str = derived("")
    producer_id: str = derived("")
    producer: Producer = derived()
    group: Category = derived()
    subgroup: Category = derived()
    status: CertificateStatus = derived()
    #: Every certificate, oldest first, with its status on the build date (one for a
    #: product written with ``ocop``).
    history: list[Certificate] = derived(factory=list)
    #: Field path of the current certificate, for messages: 'ocop', 'certificates[1]'.
    ocop_path: str = derived("ocop")
    points_of_sale: list[PointOfSale] = derived(factory=list)
    fairs: list[Fair] = derived(factory=list)


@dataclass(slots=True, weakref_slot=True)
class Carries:
    """Điểm bán có những gì: mọi sản phẩm của chủ thể, hoặc từng sản phẩm."""

    producers: list[str] = spec("Mã chủ thể (bán mọi sản phẩm của họ)", default_factory=list)
    products: list[str] = spec("Mã sản phẩm", default_factory=list)


# Keyword-only: fields in the order a shop is described (and record files list them).
@dataclass(kw_only=True, slots=True, weakref_slot=True)
class PointOfSale:
    """Điểm bán: showroom OCOP, cửa hàng, siêu thị, chợ, cửa hàng trực tuyến."""

    name: str = spec("Tên điểm bán")
    name_en: str | None = spec("Tên tiếng Anh", default=None)
    kind: PointOfSaleKind = spec("Loại: showroom, shop, supermarket, market, online")
    address: Address | None = spec("Địa chỉ (không cần với cửa hàng trực tuyến)", default=None)
    location: Location | None = spec("Vị trí trên bản đồ", default=None)
    opening_hours: str | None = spec("Giờ mở cửa", default=None)
    contacts: Contacts = spec("Liên hệ", default_factory=Contacts)
    carries: Carries = spec("Sản phẩm được bán")
    description: str | None = spec("Giới thiệu (Markdown)", default=None, fmt="markdown")

    source: Source = derived()
    id: str = derived("")
    products: list[Product] = derived(factory=list)


@dataclass(slots=True, weakref_slot=True)
class Exhibitor:
    """Một chủ thể tham gia hội chợ."""

    producer: str = spec("Mã chủ thể", fmt="slug")
    booth: str | None = spec("Gian hàng số", default=None)
    products: list[str] = spec("Mã sản phẩm trưng bày", default_factory=list)

    producer_record: Producer = derived()
    product_records: list[Product] = derived(factory=list)


@dataclass(kw_only=True, slots=True, weakref_slot=True)
class Fair:
    """Hội chợ, triển lãm, phiên chợ OCOP."""

    name: str = spec("Tên hội chợ")
    name_en: str | None = spec("Tên tiếng Anh", default=None)
    starts: dt.date = spec("Ngày khai mạc (YYYY-MM-DD)")
    ends: dt.date = spec("Ngày bế mạc (YYYY-MM-DD)")
    venue: str = spec("Địa điểm")
    city: str = spec("Thành phố/tỉnh")
    organiser: str | None = spec("Đơn vị tổ chức", default=None)
    link: str | None = spec("Trang thông tin (https://…)", default=None, fmt="url")
    exhibitors: list[Exhibitor] = spec("Chủ thể tham gia", default_factory=list)
    description: str | None = spec("Giới thiệu (Markdown)", default=None, fmt="markdown")

    source: Source = derived()
    id: str = derived("")


#: Record kinds with their schema file names, for the JSON Schema writer.
RECORD_KINDS: dict[str, type[Any]] = {
    "producer": Producer,
    "product": Product,
    "point-of-sale": PointOfSale,
    "fair": Fair,
}
