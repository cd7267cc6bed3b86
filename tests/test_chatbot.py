"""P4 Trợ lý ảo: questions typed the way people type them find the right FAQ entry; questions the
FAQ does not answer get a plain "I do not know" with the hotline and the feedback form."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.assistant_eval import faq_rows
from tests.conftest import check_page
from tests.test_security import csrf
from webapp.extensions import db
from webapp.models import FaqEntry
from webapp.services import chatbot, content
from webapp.services import faq as faq_service

# The tuning set: what the normalisation steps and synonyms of services/chatbot.py were tuned
# on. The evaluation set (tests/data/assistant_eval.json) is kept apart and never tuned on.
# Questions written differently from the FAQ (no diacritics, synonyms, chat shorthand, typos,
# Telex leftovers, glued words), each with the demo FAQ question it should be answered by.
QUESTIONS = [
    ("quen mk roi phai lam sao", "Quên mật khẩu thì làm thế nào?"),
    ("toi khong nho mat khau dang nhap", "Quên mật khẩu thì làm thế nào?"),
    ("lam sao lay lai pass vssid", "Quên mật khẩu thì làm thế nào?"),
    ("quen mat khua", "Quên mật khẩu thì làm thế nào?"),
    ("quen matj khaaur", "Quên mật khẩu thì làm thế nào?"),
    ("quenmatkhau", "Quên mật khẩu thì làm thế nào?"),
    ("I forgot my password", "Quên mật khẩu thì làm thế nào?"),
    (
        "doi so dien thoai roi, email cung khong dung nua, lam sao lay lai mat khau",
        "Tôi không còn dùng số điện thoại và email đã đăng ký, lấy lại mật khẩu thế nào?",
    ),
    ("doi mat khau lan dau tien", "Vì sao phải đổi mật khẩu ở lần đăng nhập đầu tiên?"),
    ("doi mat khau dinh ki bao lau", "Bao lâu tôi phải đổi mật khẩu một lần?"),
    ("mat khau manh la the nao", "Mật khẩu thế nào là an toàn?"),
    (
        "nhan vien bhxh goi hoi mat khau co dung khong",
        "Cán bộ BHXH có được hỏi mật khẩu của tôi không?",
    ),
    ("otp la gi vay", "Mã OTP là gì?"),
    ("ma otp ko ve", "Tôi không nhận được mã OTP?"),
    ("otp het han sau bao lau", "Mã OTP có hiệu lực bao lâu?"),
    ("nhap sai otp qua nhieu lan", "Nhập sai mã OTP nhiều lần thì sao?"),
    ("tai khoan bi khoa roi", "Tài khoản của tôi bị khóa, phải làm gì?"),
    ("dang nhap bang so can cuoc duoc khong", "Tôi đăng nhập bằng mã số BHXH hay số căn cước?"),
    ("vi sao dien thoai cu tu dang xuat", "Vì sao tôi bị đăng xuất trên điện thoại cũ?"),
    ("mua dien thoai moi thi dang nhap the nao", "Tôi đổi điện thoại mới thì làm thế nào?"),
    ("thay so dt moi cap nhat o dau", "Tôi đã đổi số điện thoại, làm sao cập nhật?"),
    ("ung dung dung offline duoc khong", "Ứng dụng có dùng được khi không có mạng không?"),
    ("xem the bao hiem y te o muc nao", "Xem thẻ BHYT trên ứng dụng ở đâu?"),
    ("muc huong 80% la sao", "Mức hưởng 80%, 95%, 100% nghĩa là gì?"),
    (
        "the bhyt cua toi gan het han thi gia han the nao",
        "Thẻ BHYT của tôi sắp hết hạn, phải làm gì?",
    ),
    (
        "muon doi benh vien dang ky kham ban dau",
        "Đổi nơi đăng ký khám chữa bệnh ban đầu thế nào?",
    ),
    ("ma qr tren the de lam gi", "Mã QR trên thẻ dùng để làm gì?"),
    ("tra cuu qua trinh dong bao hiem xa hoi", "Xem quá trình đóng BHXH ở đâu?"),
    ("sao qua trinh dong bi thieu thang", "Vì sao quá trình tham gia của tôi thiếu một số tháng?"),
    ("co 2 ma so bhxh phai lam gi", "Tôi có hai mã số BHXH thì làm sao?"),
    ("tro cap om dau tinh nhu nao", "Trợ cấp ốm đau được tính thế nào?"),
    ("sinh con duoc huong nhung gi", "Chế độ thai sản gồm những khoản nào?"),
    ("dieu kien nhan tro cap that nghiep", "Điều kiện hưởng trợ cấp thất nghiệp?"),
    ("xem luong huu hang thang", "Lương hưu hằng tháng hiển thị ở đâu?"),
    ("rut bhxh 1 lan", "BHXH một lần là gì?"),
    ("tien tro cap nhan qua ngan hang khong", "Tiền trợ cấp được nhận qua đâu?"),
    ("dang ky tai khoan vssid the nao", "Đăng ký tài khoản VssID như thế nào?"),
    ("khai xong bao lau phai nop to khai", "Sau khi kê khai, bao lâu phải nộp tờ khai?"),
    ("khong biet ma so bhxh cua minh", "Tôi chưa biết mã số BHXH của mình?"),
    ("ho so dang ky bi tu choi vi sao", "Vì sao hồ sơ đăng ký của tôi bị từ chối?"),
    ("dang ky ho bo me duoc khong", "Tôi có thể đăng ký tài khoản thay cho người thân không?"),
    ("xem the bhyt khi mat mang", "Không có mạng thì có xem thẻ được không?"),
    # The entries added with the content files (tuning questions, not the evaluation set's).
    ("lam sao cai vssid len dien thoai", "Cài đặt ứng dụng VssID thế nào?"),
    ("huong dan tai ung dung vssid cho android", "Cài đặt ứng dụng VssID thế nào?"),
    ("install vssid on iphone", "Cài đặt ứng dụng VssID thế nào?"),
    ("khong dang nhap thi xem duoc gi", "Chưa có tài khoản thì dùng được những chức năng nào?"),
    ("chuyen ngon ngu", "Đổi ngôn ngữ của ứng dụng thế nào?"),
    ("tat thong bao day", "Ứng dụng thông báo những gì, bật thông báo thế nào?"),
    ("thoat tai khoan", "Đăng xuất khỏi ứng dụng thế nào?"),
    ("xem so kham benh", "Sổ khám chữa bệnh xem ở đâu, có những gì?"),
    ("luot kham moi chua cap nhat", "Lượt khám mới chưa có trong sổ khám chữa bệnh?"),
    ("cskcb nao cap giay nghi viec", "Cơ sở nào được cấp giấy nghỉ việc hưởng BHXH?"),
    ("benh vien nao kham bhyt", "Cơ sở khám chữa bệnh nào nhận thẻ BHYT?"),
    ("tim van phong bhxh gan toi", "Tìm cơ quan BHXH gần nhất ở đâu?"),
    ("chi duong den co quan bhxh", "Tìm cơ quan BHXH gần nhất ở đâu?"),
    ("tong dai ho tro so may", "Số tổng đài hỗ trợ là gì?"),
    ("dia chi email ho tro", "Gửi email cho BHXH Việt Nam thế nào?"),
    ("gui gop y cho bhxh", "Gửi phản ánh, kiến nghị đến cơ quan BHXH thế nào?"),
    ("tra cuu ket qua phan anh", "Xem trả lời phản ánh của tôi ở đâu?"),
    ("chatbot la gi", "Trợ lý ảo trả lời được những gì?"),
    ("cau hoi thuong gap o dau", "Xem các câu hỏi thường gặp ở đâu?"),
    ("doc tin tuc bao hiem", "Xem tin tức của ngành BHXH ở đâu?"),
    ("tra cuu doanh nghiep dong bao hiem", "Kiểm tra đơn vị, công ty có tham gia BHXH không?"),
    ("dong bhyt tu nguyen o dau", "Đóng BHYT, BHXH tự nguyện ở đâu?"),
    ("thong tin ca nhan tren app gom nhung gi", "Màn hình Quản lý cá nhân hiển thị những gì?"),
    ("cap nhat dia chi moi", "Tôi muốn đổi địa chỉ hoặc email?"),
    ("in to khai dang ky", "In tờ khai mẫu 01 thế nào?"),
    (
        "khi nao nhan duoc tai khoan sau khi nop to khai",
        "Hồ sơ được duyệt thì tôi nhận tài khoản thế nào?",
    ),
    ("anh cccd dinh kem bi mo", "Ảnh giấy tờ tùy thân khi đăng ký cần thế nào?"),
    ("tra cuu ma bhxh theo ho ten ngay sinh", "Tra cứu mã số BHXH thế nào?"),
    ("co nhung tien ich tra cuu nao", "Ứng dụng có những tra cứu trực tuyến nào?"),
    ("can bo phe duyet ho so o dau", "Cán bộ duyệt hồ sơ đăng ký giao dịch điện tử ở đâu?"),
    ("tim ho so theo so ho so", "Cán bộ tìm hồ sơ đăng ký thế nào?"),
    ("xu ly ho so thay doi thong tin", "Cán bộ xử lý hồ sơ thay đổi thông tin thế nào?"),
    ("thay anh giay to cho ho so", "Cán bộ thay ảnh giấy tờ trong hồ sơ thế nào?"),
    (
        "ma so khong ton tai tren he thong ho gia dinh",
        "Mã số BHXH không có trên hệ thống HGĐ thì sao?",
    ),
    # In English, as foreign workers and English readers type them (written on 3 December
    # 2026 from the FAQ's entries, for tuning: K1 and the keywords' weight were chosen on the
    # whole tuning set with them).
    ("how do I change my password", "Đổi mật khẩu như thế nào?"),
    ("where can I see my health insurance card", "Xem thẻ BHYT trên ứng dụng ở đâu?"),
    ("what is an OTP code", "Mã OTP là gì?"),
    ("how do I register for an account", "Đăng ký tài khoản VssID như thế nào?"),
    ("my account is locked, what should I do", "Tài khoản của tôi bị khóa, phải làm gì?"),
    ("how can I find my social insurance code", "Tra cứu mã số BHXH thế nào?"),
    ("where is the nearest social insurance office", "Tìm cơ quan BHXH gần nhất ở đâu?"),
    ("what is the hotline number", "Số tổng đài hỗ trợ là gì?"),
    ("where do I see my monthly pension", "Lương hưu hằng tháng hiển thị ở đâu?"),
    ("how do I log out of the app", "Đăng xuất khỏi ứng dụng thế nào?"),
    ("I did not get the OTP text message", "Tôi không nhận được mã OTP?"),
    (
        "can I show my card at the hospital from my phone",
        "Dùng thẻ BHYT trên ứng dụng để khám bệnh được không?",
    ),
    ("how do I switch the language to English", "Đổi ngôn ngữ của ứng dụng thế nào?"),
    (
        "why are some months missing from my contribution history",
        "Vì sao quá trình tham gia của tôi thiếu một số tháng?",
    ),
    ("what does benefit level 80% mean", "Mức hưởng 80%, 95%, 100% nghĩa là gì?"),
    (
        "how do I send a complaint to the social insurance agency",
        "Gửi phản ánh, kiến nghị đến cơ quan BHXH thế nào?",
    ),
    ("which hospitals accept health insurance", "Cơ sở khám chữa bệnh nào nhận thẻ BHYT?"),
    ("what documents should I bring when I hand in the form", "Cần mang theo gì khi nộp tờ khai?"),
    ("how long is the OTP valid", "Mã OTP có hiệu lực bao lâu?"),
    # 4 December: a batch of 50, written before the synonyms they led to (everyday ways to ask
    # how long, when, where, who; family words; English everyday words)
    (
        "dien thoai cu bi mat thi dang nhap may moi the nao",
        "Tôi đổi điện thoại mới thì làm thế nào?",
    ),
    ("so dt cu k con dung nua muon doi so khac", "Tôi đã đổi số điện thoại, làm sao cập nhật?"),
    ("bị khoá tk rồi giờ sao", "Tài khoản của tôi bị khóa, phải làm gì?"),
    (
        "ra viện rồi mà sổ khám chưa thấy lần khám đó",
        "Lượt khám mới chưa có trong sổ khám chữa bệnh?",
    ),
    (
        "muon cho me xem so kham benh cua minh duoc khong",
        "Cho người thân xem thẻ, sổ khám của tôi (ủy quyền) thế nào?",
    ),
    ("ai da mo xem thong tin bhyt cua toi", "Ai đã xem dữ liệu của tôi?"),
    ("mật khẩu phải đổi định kỳ không", "Bao lâu tôi phải đổi mật khẩu một lần?"),
    ("đặt mk sao cho khó đoán", "Mật khẩu thế nào là an toàn?"),
    ("nhan vien bhxh goi dien hoi mk co sao k", "Cán bộ BHXH có được hỏi mật khẩu của tôi không?"),
    ("ma otp song duoc may phut", "Mã OTP có hiệu lực bao lâu?"),
    ("go sai otp 5 lan", "Nhập sai mã OTP nhiều lần thì sao?"),
    ("the bhyt trong app nam o muc nao", "Xem thẻ BHYT trên ứng dụng ở đâu?"),
    (
        "đi khám đưa điện thoại cho bệnh viện xem thẻ được không",
        "Dùng thẻ BHYT trên ứng dụng để khám bệnh được không?",
    ),
    ("huong 80 phan tram la sao", "Mức hưởng 80%, 95%, 100% nghĩa là gì?"),
    ("du 5 nam lien tuc duoc gi", "Thời điểm đủ 5 năm liên tục trên thẻ là gì?"),
    ("thẻ gần hết hạn rồi gia hạn kiểu gì", "Thẻ BHYT của tôi sắp hết hạn, phải làm gì?"),
    (
        "muon chuyen noi kham ban dau sang benh vien khac",
        "Đổi nơi đăng ký khám chữa bệnh ban đầu thế nào?",
    ),
    ("quet ma qr tren the de lam gi", "Mã QR trên thẻ dùng để làm gì?"),
    (
        "con toi duoi 6 tuoi xem the cua chau o dau",
        "Xem thẻ BHYT của con trên điện thoại của tôi thế nào?",
    ),
    (
        "sao qua trinh dong bhxh bi thieu thang",
        "Vì sao quá trình tham gia của tôi thiếu một số tháng?",
    ),
    ("minh co 2 ma so bhxh phai lam sao", "Tôi có hai mã số BHXH thì làm sao?"),
    ("tong so nam dong bh tinh sao", "Tổng thời gian tham gia được tính thế nào?"),
    (
        "xuat file pdf qua trinh dong",
        "Tải quá trình tham gia hoặc sổ khám chữa bệnh dạng PDF thế nào?",
    ),
    ("nghỉ ốm được trả bao nhiêu tiền", "Trợ cấp ốm đau được tính thế nào?"),
    ("sinh con được hưởng những gì", "Chế độ thai sản gồm những khoản nào?"),
    ("mất việc thì có được tiền thất nghiệp không", "Điều kiện hưởng trợ cấp thất nghiệp?"),
    (
        "tiền trợ cấp chuyển vào tài khoản ngân hàng hay nhận tiền mặt",
        "Tiền trợ cấp được nhận qua đâu?",
    ),
    ("ke khai xong bao nhieu ngay phai nop to khai", "Sau khi kê khai, bao lâu phải nộp tờ khai?"),
    ("đi nộp tờ khai cần cầm theo giấy tờ gì", "Cần mang theo gì khi nộp tờ khai?"),
    (
        "dang ky tai khoan ho ba me gia duoc khong",
        "Tôi có thể đăng ký tài khoản thay cho người thân không?",
    ),
    ("chup anh cccd the nao cho dat", "Ảnh giấy tờ tùy thân khi đăng ký cần thế nào?"),
    (
        "bao gio thi co tai khoan sau khi nop ho so",
        "Hồ sơ được duyệt thì tôi nhận tài khoản thế nào?",
    ),
    (
        "cong ty toi co dong bao hiem cho nhan vien khong kiem tra o dau",
        "Kiểm tra đơn vị, công ty có tham gia BHXH không?",
    ),
    ("dong bhyt ho gia dinh o dau", "Đóng BHYT, BHXH tự nguyện ở đâu?"),
    ("file pdf nay co phai that khong", "Kiểm tra bản PDF từ VssID là thật thế nào?"),
    ("gui y kien gop y cho co quan bhxh", "Gửi phản ánh, kiến nghị đến cơ quan BHXH thế nào?"),
    ("phan anh cua toi da duoc tra loi chua", "Xem trả lời phản ánh của tôi ở đâu?"),
    ("tat thong bao cua ung dung", "Ứng dụng thông báo những gì, bật thông báo thế nào?"),
    ("chuyen sang tieng anh", "Đổi ngôn ngữ của ứng dụng thế nào?"),
    ("how do I see my medical visits", "Sổ khám chữa bệnh xem ở đâu, có những gì?"),
    ("I lost my phone, how to log in on a new one", "Tôi đổi điện thoại mới thì làm thế nào?"),
    ("what does 95% on my card mean", "Mức hưởng 80%, 95%, 100% nghĩa là gì?"),
    (
        "how to check if my company pays social insurance for me",
        "Kiểm tra đơn vị, công ty có tham gia BHXH không?",
    ),
    ("where can I see my pension", "Lương hưu hằng tháng hiển thị ở đâu?"),
    (
        "can someone else see my health card",
        "Cho người thân xem thẻ, sổ khám của tôi (ủy quyền) thế nào?",
    ),
]
# Out-of-scope questions that share a telling word with an entry (passport photo, bank account)
# and are still answered with it: kept as known misses, so that a fix shows.
KNOWN_MISS = pytest.mark.xfail(strict=True, reason="a shared word passes the coverage rule")
UNANSWERABLE = [
    "thoi tiet ha noi hom nay",
    "gia vang bao nhieu",
    "cach nau pho bo",
    "xin chao",
    "asdfgh qwerty",
    "?!",
    "gia xang hom nay",
    "ket qua xo so mien bac",
    "dich cau nay sang tieng nhat",
    "lich chieu phim cuoi tuan",
    "what is the weather like tomorrow",
    "who won the football match",
    "recommend a good restaurant near me",
    "gia xang hom nay bao nhieu",
    pytest.param("lam ho chieu o dau", marks=KNOWN_MISS),
    pytest.param("the ngan hang bi khoa", marks=KNOWN_MISS),
    "mua bao hiem xe may o dau",
    "how to renew my work permit",
]


def demo_faq() -> list[FaqEntry]:
    """The FAQ of the content file, written to the database as `flask content load` writes it."""
    content.load()
    db.session.commit()
    return faq_service.entries()


@pytest.fixture
def faq(app) -> list[FaqEntry]:
    return demo_faq()


def test_share_of_tuning_questions_answered_right_is_at_least_80_percent(faq, record_property):
    index = chatbot.Index.build(faq)
    by_question = {e.question_vi: e.id for e in faq}
    misses = []
    for question, expected in QUESTIONS:
        assert expected in by_question, expected  # the table names real FAQ entries
        reply = index.ask(question)
        if not (reply.confident and reply.entry_ids[0] == by_question[expected]):
            got = [e.question_vi for e in faq if reply.entry_ids and e.id == reply.entry_ids[0]]
            misses.append(f"{question!r}: expected {expected!r}, got {got} ({reply})")
    right = len(QUESTIONS) - len(misses)
    share = right / len(QUESTIONS)
    record_property("summary", f"chatbot: {right}/{len(QUESTIONS)} answered right ({share:.0%})")
    for miss in misses:
        record_property("summary", f"  miss: {miss}")
    assert len(QUESTIONS) >= 20
    assert share >= 0.85


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_says_it_does_not_know_when_the_faq_does_not_answer(faq, question):
    assert chatbot.Index.build(faq).ask(question).confident is False


def test_diacritics_case_and_spacing_do_not_matter(faq):
    index = chatbot.Index.build(faq)
    replies = [
        index.ask(q)
        for q in ["Quên mật khẩu?", "QUEN MAT KHAU", "  quen   mat   khau  ", "quên mat khẩu"]
    ]
    assert len({r.entry_ids[0] for r in replies}) == 1 and all(r.confident for r in replies)


def test_normalization_steps():
    index = chatbot.Index.build(demo_rows())
    assert index.normalize("quen mk")[0] == ["quen", "mat", "khau"]
    assert index.normalize("matj khaaur")[0] == ["mat", "khau"]
    assert index.normalize("quen mat khua")[0] == ["quen", "mat", "khau"]
    assert index.normalize("quenmatkhau")[0] == ["quen", "mat", "khau"]
    assert index.normalize("khong nho mat khau")[1] == ["quen"]
    # a word no phrase of the FAQ backs is left as typed, so it counts as unknown
    assert index.normalize("gia vang")[0] == ["gia", "vang"]


def demo_rows():
    return faq_rows()


def test_an_empty_faq_knows_nothing(app):
    reply = chatbot.Index.build([]).ask("quen mat khau")
    assert reply.entry_ids == [] and reply.confident is False


# --- The page --------------------------------------------------------------------------------


def ask(client, question: str, htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    token = csrf(client, "/ho-tro/tro-ly-ao")
    return client.post(
        "/ho-tro/tro-ly-ao", data={"question": question, "csrf_token": token}, headers=headers
    )


def test_the_page_answers_with_its_sources(client, faq):
    soup = check_page(ask(client, "quen mat khau thi lam sao"))
    answer = soup.select(".chat-bot")[-1]
    assert 'chọn "Quên mật khẩu"' in answer.get_text()
    sources = answer.select(".chat-sources a")
    assert sources[0].get_text() == "Quên mật khẩu thì làm thế nào?"
    forgot = db.session.scalar(select(FaqEntry).where(FaqEntry.key == "forgot-password"))
    assert sources[0]["href"] == f"/ho-tro/cau-hoi-thuong-gap#faq-{forgot.id}"
    assert (
        soup.select_one(".chat-user")
        .get_text(" ", strip=True)
        .endswith("quen mat khau thi lam sao")
    )
    form = soup.select_one("#chat-form")
    assert form["hx-post"] == "/ho-tro/tro-ly-ao" and form["hx-swap"] == "beforeend"
    assert form["hx-target"] == "#chat-log"


def test_with_htmx_only_the_exchange_is_sent_to_append(client, faq):
    response = ask(client, "otp het han sau bao lau", htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and "chat-form" not in body
    assert body.count('class="chat-user"') == 1 and "Chỉ vài phút" in body
    assert "HX-Request" in response.headers["Vary"]


def test_not_knowing_is_said_plainly_with_hotline_and_feedback(client, faq):
    soup = check_page(ask(client, "gia vang hom nay bao nhieu"))
    answer = soup.select(".chat-bot")[-1]
    assert "Xin lỗi, tôi chưa biết câu trả lời" in answer.get_text()
    hrefs = [a["href"] for a in answer.select("a")]
    assert "tel:19009068" in hrefs and "/ho-tro/phan-anh" in hrefs


def test_answers_in_english_for_english_readers(client, faq):
    client.set_cookie("lang", "en")
    soup = check_page(ask(client, "quen mat khau"))
    answer = soup.select(".chat-bot")[-1]
    assert 'choose "Forgot password"' in answer.get_text()
    assert answer.select_one(".chat-sources a").get_text() == "I forgot my password. What do I do?"


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "Nhập câu hỏi"), ("   ", "Nhập câu hỏi"), ("x" * 501, "tối đa 500 ký tự")],
)
def test_an_unusable_question_is_a_400_by_the_field(client, faq, question, message):
    response = ask(client, question)
    assert response.status_code == 400
    soup = check_page(response)
    assert message in soup.select_one("#question-field .error-message").get_text()
    fragment = ask(client, question, htmx=True)
    assert fragment.status_code == 400
    assert fragment.headers["HX-Retarget"] == "#chat-form"
    assert fragment.headers["HX-Reswap"] == "outerHTML"
    assert message in fragment.get_data(as_text=True) and "<html" not in fragment.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "question",
    ["<script>alert(1)</script>", "' OR 1=1 --", "\x00\x01 quen mat khau", "%s %d {0} {{7*7}}"],
)
def test_hostile_questions_are_only_text(client, faq, question):
    response = ask(client, question)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert (
        "<script>alert" not in body
        and "49" not in check_page(response).select_one(".chat-user").get_text()
    )


def test_the_assistant_is_throttled_per_ip(app, client, faq):
    app.config["CHATBOT_LIMIT_PER_IP"] = "2 per minute"
    assert [ask(client, "otp").status_code for _ in range(3)] == [200, 200, 429]


def test_without_csrf_token_refused(client, faq):
    assert client.post("/ho-tro/tro-ly-ao", data={"question": "otp"}).status_code == 400
