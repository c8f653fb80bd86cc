//! Every cell format of the output workbooks, in one place (SPEC §7): 宋体 with the
//! GB2312 charset so Excel and WPS render it, thin borders, bold centred headers, amounts in
//! `0.00`, rates in `0.00%`.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

const FONT: &str = "宋体";
/// GB2312 charset: makes Excel and WPS pick the East-Asian font.
const CHARSET: u8 = 134;

fn base() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_charset(CHARSET)
        .set_font_size(11)
}

fn cell() -> Format {
    base()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
}

pub struct Styles {
    pub title: Format,
    pub note: Format,
    /// A note under a table: left, wrapped.
    pub note_left: Format,
    pub header: Format,
    pub text: Format,
    pub money: Format,
    pub rate: Format,
    pub number: Format,
    pub fixed: Format,
    pub total_text: Format,
    pub total_money: Format,
    pub total_rate: Format,
    pub total_number: Format,
    pub total_fixed: Format,
    pub hi_text: Format,
    pub hi_money: Format,
    pub hi_rate: Format,
    pub hi_number: Format,
    pub hi_fixed: Format,
    /// A cell the user must fill in (【待填写】): yellow.
    pub todo: Format,
    /// A text cell centred (labels of a form).
    pub label: Format,
}

impl Styles {
    pub fn new() -> Styles {
        let hi = Color::RGB(0xFFC7CE);
        let text = cell().set_text_wrap();
        let money = cell().set_num_format("0.00");
        let rate = cell().set_num_format("0.00%");
        let number = cell().set_num_format("General");
        let fixed = cell().set_num_format("0.00");
        Styles {
            title: base()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            note: base().set_align(FormatAlign::Right),
            note_left: base()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            header: cell()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            total_text: text.clone().set_bold(),
            total_money: money.clone().set_bold(),
            total_rate: rate.clone().set_bold(),
            total_number: number.clone().set_bold(),
            total_fixed: fixed.clone().set_bold(),
            hi_text: text.clone().set_background_color(hi),
            hi_money: money.clone().set_background_color(hi),
            hi_rate: rate.clone().set_background_color(hi),
            hi_number: number.clone().set_background_color(hi),
            hi_fixed: fixed.clone().set_background_color(hi),
            todo: text.clone().set_background_color(Color::RGB(0xFFFF00)),
            label: text.clone().set_align(FormatAlign::Center),
            text,
            money,
            rate,
            number,
            fixed,
        }
    }
}

impl Default for Styles {
    fn default() -> Self {
        Styles::new()
    }
}

/// Display width of text in Excel character units (a CJK character counts two).
pub fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if (c as u32) < 0x2E80 { 1.1 } else { 2.1 })
        .sum()
}
