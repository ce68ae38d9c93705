"""The words synthetic catalogues are made of: real provinces, commune-name
syllables, product names by sub-group with prices and units, people's names,
and the shares of producer types, stars and certificate statuses."""

from __future__ import annotations

# --- places ------------------------------------------------------------------------

#: The 34 provinces and cities from 1 July 2025 (An Giang first: province scale).
PROVINCES = (
    "An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Nội", "Hà Tĩnh", "Hải Phòng",
    "Hồ Chí Minh", "Huế", "Hưng Yên", "Khánh Hòa", "Lai Châu", "Lâm Đồng", "Lạng Sơn",
    "Lào Cai", "Nghệ An", "Ninh Bình", "Phú Thọ", "Quảng Ngãi", "Quảng Ninh",
    "Quảng Trị", "Sơn La", "Tây Ninh", "Thái Nguyên", "Thanh Hóa", "Tuyên Quang",
    "Vĩnh Long",
)
#: Real commune and ward names of An Giang, used first for that province.
AN_GIANG_PLACES = (
    "Phường Châu Đốc", "Phường Long Xuyên", "Phường Rạch Giá", "Phường Tân Châu",
    "Phường Tịnh Biên", "Đặc khu Phú Quốc", "Xã Tri Tôn", "Xã Ô Lâm", "Xã Núi Cấm",
    "Xã Chợ Mới", "Xã Thoại Sơn", "Xã Óc Eo", "Xã Phú Tân", "Xã An Cư", "Xã Châu Phong",
    "Xã Vĩnh Tế", "Xã Mỹ Hòa Hưng", "Xã Hòn Đất", "Xã Kiên Lương", "Xã Ba Chúc",
)
#: Syllables of commune names ("Tân Phú", "Vĩnh Lợi" …).
PLACE_PARTS = (
    "An", "Bình", "Phú", "Tân", "Long", "Mỹ", "Hòa", "Thạnh", "Vĩnh", "Phước", "Thới",
    "Hưng", "Lộc", "Châu", "Đông", "Tây", "Nam", "Bắc", "Hiệp", "Thuận", "Khánh", "Định",
    "Lợi", "Thành", "Trung", "Hải", "Quang", "Sơn", "Đức", "Nghĩa", "Hội", "Xuân", "Thọ",
    "Kim", "Ngọc", "Cát", "Lâm", "Điền", "Hà", "Yên", "Tiến", "Thắng", "Lạc", "Đồng",
    "Cẩm", "Gia", "Vân", "Tường", "Hậu", "Giang", "Hồng", "Minh", "Đại", "Thủy", "Liên",
)
COMMUNES_PER_PROVINCE = 98

# --- products ----------------------------------------------------------------------

#: Sub-group → (weight in the catalogue, price range in thousand đồng, units, base names).
#: Weights give about 75 % food, as in An Giang (506 of 582) and nationally.
KINDS: dict[str, tuple[float, tuple[int, int], tuple[str, ...], tuple[str, ...]]] = {
    "nong-san-tuoi-song": (10, (30, 250), ("kg", "thùng 5 kg", "hộp 1 kg", "chục"), (
        "Bưởi da xanh", "Bưởi Năm Roi", "Xoài cát Hòa Lộc", "Thanh long ruột đỏ", "Dưa lưới",
        "Sầu riêng Ri6", "Nhãn xuồng cơm vàng", "Chôm chôm", "Cam sành", "Quýt hồng",
        "Khoai lang tím", "Nấm rơm", "Trứng gà ta", "Cá lóc đồng", "Tôm càng xanh",
        "Vú sữa Lò Rèn", "Măng cụt", "Bơ sáp", "Mít Thái", "Rau má", "Ổi ruột hồng")),
    "nong-san-so-che": (11, (25, 400), ("túi 5 kg", "túi 2 kg", "chai 500 ml", "hũ 1 kg"), (
        "Gạo ST25", "Gạo thơm Jasmine", "Gạo nàng hoa", "Gạo tím than", "Nếp cẩm",
        "Gạo lứt đỏ", "Mật ong hoa tràm", "Mật ong hoa cà phê", "Mật ong rừng", "Đậu phộng",
        "Mè đen", "Hạt sen khô", "Bột sắn dây", "Gạo lài", "Gạo nếp than")),
    "thuc-pham-che-bien": (30, (20, 450), ("hũ 500 g", "túi 500 g", "hộp 300 g", "kg"), (
        "Đường thốt nốt", "Khô cá lóc", "Khô cá sặc", "Khô cá tra phồng", "Khô bò",
        "Lạp xưởng tươi", "Chà bông cá lóc", "Bánh phồng tôm", "Bánh tráng phơi sương",
        "Bánh phồng nếp", "Bánh pía", "Bánh tét lá cẩm", "Kẹo dừa", "Mứt gừng",
        "Chuối sấy dẻo", "Xoài sấy dẻo", "Hạt điều rang muối", "Chả lụa", "Nem chua",
        "Bún khô", "Hủ tiếu khô", "Phở khô", "Bánh đa", "Cốm dẹp", "Trứng vịt muối",
        "Khô ếch", "Lạp xưởng bò", "Kẹo thốt nốt", "Bánh bò thốt nốt", "Tré")),
    "gia-vi": (12, (25, 250), ("chai 500 ml", "hũ 500 g", "hũ 250 g", "túi 100 g"), (
        "Nước mắm cá cơm", "Nước mắm truyền thống", "Mắm cá linh", "Mắm cá lóc",
        "Mắm cá sặc", "Mắm thái", "Mắm tôm chua", "Tương hột", "Tương ớt", "Muối ớt",
        "Muối tôm", "Tiêu đen", "Tiêu sọ", "Ớt bột", "Sa tế", "Bột nghệ", "Mắm ruốc",
        "Mắm cá trèn")),
    "che": (7, (40, 600), ("hộp 100 g", "túi 200 g", "hộp 25 túi lọc"), (
        "Trà Shan tuyết", "Trà xanh", "Trà ô long", "Trà atiso", "Trà mãng cầu",
        "Trà gạo lứt", "Trà hoa sen", "Trà khổ qua rừng", "Trà lá sen", "Trà hoa vàng",
        "Trà đinh", "Trà móc câu", "Chè búp")),
    "ca-phe-ca-cao": (4, (60, 500), ("túi 500 g", "hộp 250 g", "hộp 20 gói"), (
        "Cà phê rang xay", "Cà phê Robusta", "Cà phê Arabica", "Cà phê hòa tan",
        "Ca cao bột", "Sô cô la đen", "Cà phê hạt mộc")),
    "do-uong-co-con": (6, (60, 800), ("chai 500 ml", "chai 750 ml", "bình 2 lít"), (
        "Rượu nếp", "Rượu thốt nốt", "Rượu sim", "Rượu chuối hột", "Rượu đế",
        "Rượu nếp cẩm", "Rượu mơ", "Rượu ngô men lá", "Rượu Bàu Đá", "Rượu cần",
        "Vang nho", "Vang thốt nốt", "Rượu mận")),
    "do-uong-khong-con": (4, (10, 300), ("chai 330 ml", "thùng 24 chai", "hộp 6 lon"), (
        "Nước ép thanh long", "Nước yến sào", "Nước khoáng", "Nước uống đóng chai",
        "Nước cốt chanh", "Nước dừa", "Siro chanh dây", "Nước gạo rang", "Nước sâm")),
    "thuc-pham-chuc-nang-duoc-lieu": (3, (80, 1500), ("hộp 60 viên", "hũ 100 g", "hộp 10 gói"), (
        "Cao atiso", "Viên nghệ mật ong", "Tinh bột nghệ", "Nấm linh chi", "Sâm Ngọc Linh",
        "Đông trùng hạ thảo", "Cao dược liệu", "Hà thủ ô", "Cao khổ qua")),
    "my-pham-thao-duoc": (2, (50, 400), ("hộp 100 g", "chai 250 ml", "lọ 10 g"), (
        "Xà bông thảo dược", "Dầu gội bồ kết", "Son môi dầu gấc", "Sữa rửa mặt nghệ",
        "Nước hoa hồng", "Muối tắm thảo dược", "Kem nghệ")),
    "tinh-dau-thao-duoc-khac": (2, (50, 350), ("lọ 10 ml", "lọ 50 ml", "chai 100 ml"), (
        "Tinh dầu tràm", "Tinh dầu sả chanh", "Tinh dầu bưởi", "Tinh dầu quế",
        "Tinh dầu hồi", "Tinh dầu bạc hà", "Dầu gió", "Túi thơm thảo mộc")),
    "thu-cong-gia-dung-trang-tri": (4, (50, 2500), ("cái", "bộ", "chiếc"), (
        "Giỏ lục bình", "Túi xách cói", "Thảm cói", "Tranh Đông Hồ", "Nón lá",
        "Chiếu cói", "Đũa tre", "Khay mây tre", "Đèn lồng", "Tượng gỗ", "Ống hút cỏ bàng",
        "Bình gốm", "Giỏ mây tre đan")),
    "vai-may-mac": (2, (100, 3000), ("tấm", "chiếc", "mét"), (
        "Lụa tơ tằm", "Khăn lụa", "Thổ cẩm", "Xà rông", "Áo bà ba", "Khăn rằn",
        "Vải lanh", "Túi thổ cẩm", "Áo dài lụa")),
    "hoa": (1, (80, 1500), ("chậu", "cành", "bó"), (
        "Lan hồ điệp", "Hoa cúc mâm xôi", "Hoa hồng", "Mai vàng", "Đào phai",
        "Hoa lan rừng", "Hoa sen")),
    "cay-canh": (0.6, (200, 5000), ("chậu", "cây"), (
        "Bonsai", "Mai chiếu thủy", "Cây kiểng lá", "Sen đá", "Bonsai sanh")),
    "dong-vat-canh": (0.4, (100, 3000), ("con", "cặp"), (
        "Cá Koi", "Cá cảnh Betta", "Cá dĩa", "Chim chào mào")),
    "du-lich-nong-thon": (1, (50, 900), ("người", "vé", "đêm"), (
        "Du lịch cộng đồng", "Điểm du lịch sinh thái", "Homestay", "Làng nghề",
        "Du lịch miệt vườn", "Tour trải nghiệm làng quê")),
}
QUALIFIERS = ("nguyên chất", "đặc biệt", "hữu cơ", "loại 1", "truyền thống", "thượng hạng",
              "cao cấp", "gia truyền", "sạch")
BRANDS = ("Phù Sa", "Hương Quê", "Sen Vàng", "Đất Việt", "Miền Tây", "Cửu Long", "Thiên Phú",
          "An Khang", "Hồng Phát", "Mekong", "Bảy Núi", "Tây Bắc", "Sông Hậu", "Hoa Sen",
          "Làng Xưa", "Nắng Mới", "Quê Nhà", "Kim Long", "Ngọc Lan", "Phúc Lộc", "Đồng Xanh",
          "Bốn Mùa", "Trường Sơn", "Sao Mai", "Thảo Nguyên", "Hạt Ngọc", "Mùa Vàng")
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Châu", "Đinh", "Lâm")
MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hiền", "Hùng", "Lan", "Mai", "Nam",
         "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Hòa", "Lộc",
         "Đạt", "Đông", "Nhung", "Khoa", "Thư", "Út", "Sáu", "Bảy")
NICK = ("Út", "Bảy", "Sáu", "Năm", "Tư", "Ba", "Chín", "Mười")
#: Producer types and their shares (OCOP-FACTS: 32 % HTX, 22 % enterprises, 32 % households).
PRODUCER_TYPES = (("cooperative", 32), ("enterprise", 22), ("household", 32),
                  ("cooperative_group", 14))
POINT_OF_SALE_KINDS = (("showroom", 25), ("shop", 40), ("supermarket", 15), ("market", 5),
                       ("online", 15))
STANDARDS = ("VietGAP", "HACCP", "ISO 22000", "GlobalGAP", "Hữu cơ TCVN 11041")
#: Star shares nationally: about 75 % three-star, 24 % four-star, 1 % five-star.
STAR_WEIGHTS = ((3, 75), (4, 24), (5, 1))
#: Certificate status shares: mostly valid, some expiring, expired or revoked.
STATUS_WEIGHTS = (("valid", 82), ("expiring", 4), ("expired", 11), ("revoked", 3))
#: Sentences of a product's description ("{name}", "{place}", "{producer}" filled in), for
#: descriptions of real length (``ocop synth --words``).
DESCRIPTION_SENTENCES = (
    "{name} được làm từ nguyên liệu trồng và thu hoạch ngay tại {place}.",
    "Nguyên liệu được tuyển chọn kỹ, rửa sạch và sơ chế trong ngày để giữ trọn hương vị.",
    "Cơ sở áp dụng quy trình sản xuất khép kín, có sổ theo dõi từng lô hàng.",
    "Sản phẩm không dùng chất bảo quản, không phẩm màu, phù hợp cho cả gia đình.",
    "Mỗi mẻ sản phẩm đều được kiểm tra cảm quan trước khi đóng gói.",
    "Bao bì có tem truy xuất nguồn gốc, ghi rõ ngày sản xuất và hạn sử dụng.",
    "Bảo quản nơi khô ráo, thoáng mát, tránh ánh nắng trực tiếp; sau khi mở nên dùng hết "
    "trong vài tuần.",
    "{producer} đã gắn bó với nghề hơn hai mươi năm, truyền nghề qua ba thế hệ.",
    "Sản phẩm có mặt tại các hội chợ OCOP trong tỉnh và nhiều cửa hàng đặc sản.",
    "Khách hàng có thể đặt mua số lượng lớn làm quà biếu dịp lễ, Tết.",
    "Hương vị đậm đà, đặc trưng của vùng đất {place}, khó lẫn với nơi khác.",
    "Quy trình chế biến kết hợp kinh nghiệm truyền thống với máy móc hiện đại.",
    "Cơ sở liên kết với nhiều hộ nông dân trong xã, bao tiêu đầu ra ổn định.",
    "Sản phẩm đạt các chỉ tiêu an toàn thực phẩm theo tiêu chuẩn công bố.",
    "Nên dùng kèm cơm nóng, bánh mì hoặc làm quà cho người thân ở xa.",
    "Mùa thu hoạch chính kéo dài từ tháng Chín đến tháng Mười Hai âm lịch.",
    "Mỗi năm cơ sở cung cấp ra thị trường hàng chục tấn sản phẩm.",
    "Sản phẩm được người tiêu dùng bình chọn là đặc sản tiêu biểu của địa phương.",
    "Toàn bộ phụ phẩm được tận dụng làm phân bón hữu cơ cho vườn cây.",
    "Cơ sở sẵn sàng đón khách tham quan, trải nghiệm quy trình làm {name}.",
)
