//! The report draft as a Word document (issue 6), in the 公文 format of GB/T 9704-2012: A4,
//! margins 37/35/28/26 mm, title 方正小标宋简体 二号, body 仿宋_GB2312 三号 with Times New Roman
//! for Latin text and digits, 22 lines a page (fixed 28.95 pt), 一级标题 黑体, 二级 楷体_GB2312,
//! tables in 宋体 五号 with full borders and repeated header rows, page numbers `— 1 —`.
//!
//! A small WordprocessingML writer on the `zip` crate (rust_xlsxwriter already brings it):
//! docx-rs lacks repeated header rows, font alternates and the zh-CN language tag. It lays
//! out [`Block`]s and the workbook's [`Table`]s; it computes nothing. Fixed timestamps: the
//! same blocks give the same bytes.

use crate::narrative::{Block, cell_text};
use crate::tables::{Cell, RowStyle, Table};
use anyhow::Result;
use std::io::Write;

/// Text width between the margins (11906 − 1587 − 1474 twips).
const TEXT_WIDTH: u32 = 8845;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Font properties: East-Asian font, Latin font, size in half-points, bold.
fn rpr(east: &str, latin: &str, half_points: u32, bold: bool, highlight: bool) -> String {
    format!(
        r#"<w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east}" w:cs="{latin}"/>{}{}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>"#,
        if bold { "<w:b/><w:bCs/>" } else { "" },
        if highlight {
            r#"<w:highlight w:val="yellow"/>"#
        } else {
            ""
        },
    )
}

/// Runs of a text, placeholders `【待填写：…】` highlighted.
fn runs(text: &str, east: &str, latin: &str, size: u32, bold: bool) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (plain, mark, after) = match rest.find("【待填写") {
            Some(at) => {
                let end = rest[at..]
                    .find('】')
                    .map_or(rest.len(), |e| at + e + '】'.len_utf8());
                (&rest[..at], &rest[at..end], &rest[end..])
            }
            None => (rest, "", ""),
        };
        for (t, hi) in [(plain, false), (mark, true)] {
            if !t.is_empty() {
                out.push_str(&format!(
                    r#"<w:r>{}<w:t xml:space="preserve">{}</w:t></w:r>"#,
                    rpr(east, latin, size, bold, hi),
                    esc(t)
                ));
            }
        }
        rest = after;
    }
    out
}

/// A paragraph: alignment, first-line indent of two characters or none, fixed 28.95 pt lines.
fn para(text: &str, align: &str, indent: bool, east: &str, size: u32, bold: bool) -> String {
    para_kept(text, align, indent, east, size, bold, false)
}

/// [`para`], kept on the page of the next paragraph (a heading never ends a page).
fn para_kept(
    text: &str,
    align: &str,
    indent: bool,
    east: &str,
    size: u32,
    bold: bool,
    keep_next: bool,
) -> String {
    let keep = if keep_next { "<w:keepNext/>" } else { "" };
    let ind = if indent {
        r#"<w:ind w:firstLineChars="200" w:firstLine="640"/>"#
    } else {
        ""
    };
    format!(
        r#"<w:p><w:pPr>{keep}<w:spacing w:line="579" w:lineRule="exact" w:before="0" w:after="0"/>{ind}<w:jc w:val="{align}"/></w:pPr>{}</w:p>"#,
        runs(text, east, "Times New Roman", size, bold)
    )
}

const BODY: &str = "仿宋_GB2312";

fn block_xml(b: &Block, tables: &[Table]) -> String {
    match b {
        Block::Title(t) => {
            // 二号 (22 pt), centred, with a blank line after it.
            let p = para(t, "center", false, "方正小标宋简体", 44, false);
            format!("{p}{}", para("", "center", false, BODY, 32, false))
        }
        Block::Heading(1, t) => para_kept(t, "both", true, "黑体", 32, false, true),
        Block::Heading(2, t) => para_kept(t, "both", true, "楷体_GB2312", 32, false, true),
        Block::Heading(_, t) => para_kept(t, "both", true, BODY, 32, false, true),
        Block::Para(t) => para(t, "both", true, BODY, 32, false),
        Block::Right(t) => para(t, "right", false, BODY, 32, false),
        Block::Table(sheet) => tables
            .iter()
            .find(|t| t.sheet == *sheet)
            .map(table_xml)
            .unwrap_or_default(),
    }
}

fn cell_xml(
    text: &str,
    width: u32,
    span: u16,
    vmerge: Option<&str>,
    align: &str,
    bold: bool,
) -> String {
    cell_lines_xml(&[text], width, span, vmerge, align, bold)
}

/// A cell whose lines are broken where given (`<w:br/>`).
fn cell_lines_xml(
    lines: &[&str],
    width: u32,
    span: u16,
    vmerge: Option<&str>,
    align: &str,
    bold: bool,
) -> String {
    let span = if span > 1 {
        format!(r#"<w:gridSpan w:val="{span}"/>"#)
    } else {
        String::new()
    };
    let vm = match vmerge {
        Some("restart") => r#"<w:vMerge w:val="restart"/>"#.to_string(),
        Some(_) => "<w:vMerge/>".to_string(),
        None => String::new(),
    };
    format!(
        r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{vm}<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto" w:before="0" w:after="0"/><w:jc w:val="{align}"/></w:pPr>{}</w:p></w:tc>"#,
        lines
            .iter()
            .map(|l| runs(l, "宋体", "Times New Roman", 21, bold))
            .collect::<Vec<_>>()
            .join("<w:r><w:br/></w:r>")
    )
}

/// A header that begins with a year (`2023年预算数`) printed on two lines, the year on the first:
/// the table's columns then need only the longer line, not a third line of a split word.
fn header_lines(text: &str) -> Vec<&str> {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    match text[digits..].strip_prefix('年') {
        Some(rest) if digits == 4 && rest.chars().count() >= 2 => {
            vec![&text[..digits + '年'.len_utf8()], rest]
        }
        _ => vec![text],
    }
}

/// A workbook table: its header rows (merged as in the workbook, repeated on every page),
/// its rows (totals bold, amounts right-aligned), full borders, 宋体 五号.
fn table_xml(t: &Table) -> String {
    let n = t.columns.max(1) as usize;
    // Columns sized in half-character units (a CJK character is two; one unit of 五号 is
    // 105 twips): number columns get their widest value whole, text columns share the rest
    // in proportion to their longest text, and wrap.
    let width_of =
        |s: &str| -> usize { s.chars().map(|c| if c > '\u{2E80}' { 2 } else { 1 }).sum() };
    // A column is numeric when most of its filled cells are numbers.
    let mut kinds = vec![(0usize, 0usize); n];
    let mut need = vec![4usize; n];
    for (_, cells) in &t.rows {
        for (c, cell) in cells.iter().enumerate().take(n) {
            match cell {
                Cell::Text(s) if !s.is_empty() => kinds[c].1 += 1,
                Cell::Text(_) | Cell::Empty => {}
                _ => kinds[c].0 += 1,
            }
            need[c] = need[c].max(width_of(&cell_text(cell)) + 1);
        }
    }
    let numeric: Vec<bool> = kinds.iter().map(|(num, text)| num > text).collect();
    for h in &t.header {
        if h.cols == 1 {
            // A header may wrap onto two lines; a number column is at least half its header.
            let w = &mut need[h.col as usize];
            let lines = header_lines(&h.text);
            let widest = if lines.len() > 1 {
                lines.iter().map(|l| width_of(l)).max().unwrap_or(0)
            } else {
                width_of(&h.text).div_ceil(2)
            };
            *w = (*w).max(widest + 1);
        }
    }
    const UNIT: u32 = 115;
    const PAD: u32 = 200;
    let fixed: u32 = (0..n)
        .filter(|&c| numeric[c])
        .map(|c| need[c] as u32 * UNIT + PAD)
        .sum();
    let text_need: usize = (0..n).filter(|&c| !numeric[c]).map(|c| need[c]).sum();
    // Text columns keep at least ~8 characters each (their texts wrap), so that number columns
    // are not squeezed below their headers' lines.
    let text_cols = (0..n).filter(|&c| !numeric[c]).count() as u32;
    let room = TEXT_WIDTH
        .saturating_sub(fixed)
        .max(text_cols.max(1) * 2000);
    let mut widths: Vec<u32> = (0..n)
        .map(|c| {
            if numeric[c] {
                need[c] as u32 * UNIT + PAD
            } else {
                (need[c] as u64 * room as u64 / text_need.max(1) as u64) as u32
            }
        })
        .collect();
    // Never wider than the page.
    let sum: u32 = widths.iter().sum();
    if sum > TEXT_WIDTH {
        widths
            .iter_mut()
            .for_each(|w| *w = (*w as u64 * TEXT_WIDTH as u64 / sum as u64) as u32);
    }
    let span_width = |c: usize, k: usize| -> u32 { widths[c..(c + k).min(n)].iter().sum() };

    let mut x = String::from(
        r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>"#,
    );
    for w in &widths {
        x.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
    }
    x.push_str("</w:tblGrid>");
    // Header rows: each header cell at its top-left; a vertical merge continues below it.
    for r in 0..t.header_rows {
        x.push_str(r#"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"#);
        let mut c = 0usize;
        while c < n {
            let here = t
                .header
                .iter()
                .find(|h| h.col as usize == c && h.row <= r && r < h.row + h.rows);
            match here {
                Some(h) => {
                    let vm =
                        (h.rows > 1).then_some(if h.row == r { "restart" } else { "continue" });
                    let text = if h.row == r { h.text.as_str() } else { "" };
                    x.push_str(&cell_lines_xml(
                        &header_lines(text),
                        span_width(c, h.cols as usize),
                        h.cols,
                        vm,
                        "center",
                        true,
                    ));
                    c += h.cols.max(1) as usize;
                }
                None => {
                    x.push_str(&cell_xml("", widths[c], 1, None, "center", true));
                    c += 1;
                }
            }
        }
        x.push_str("</w:tr>");
    }
    for (style, cells) in &t.rows {
        let bold = *style == RowStyle::Total;
        x.push_str(r#"<w:tr><w:trPr><w:cantSplit/></w:trPr>"#);
        let merged_label = bold
            && matches!(cells.first(), Some(Cell::Text(_)))
            && matches!(cells.get(1), Some(Cell::Empty))
            && n > 1;
        let mut c = 0usize;
        while c < n {
            let cell = cells.get(c).unwrap_or(&Cell::Empty);
            let align = match cell {
                Cell::Text(_) | Cell::Empty => "left",
                _ => "right",
            };
            if merged_label && c == 0 {
                x.push_str(&cell_xml(
                    &cell_text(cell),
                    span_width(0, 2),
                    2,
                    None,
                    "center",
                    true,
                ));
                c = 2;
                continue;
            }
            x.push_str(&cell_xml(&cell_text(cell), widths[c], 1, None, align, bold));
            c += 1;
        }
        x.push_str("</w:tr>");
    }
    x.push_str("</w:tbl>");
    // A table is followed by an empty line of body text.
    x.push_str(&para("", "both", false, BODY, 32, false));
    x
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

fn styles() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}><w:docDefaults><w:rPrDefault>{}</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:line="579" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#,
        rpr(BODY, "Times New Roman", 32, false, false)
    )
}

/// The fonts, with the common Windows fonts as alternates of the _GB2312 ones (many
/// machines lack 仿宋_GB2312 and 楷体_GB2312).
fn font_table() -> String {
    let mut x = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts {W}>"#
    );
    for (name, alt) in [
        ("仿宋_GB2312", Some("仿宋")),
        ("楷体_GB2312", Some("楷体")),
        ("方正小标宋简体", Some("宋体")),
        ("黑体", None),
        ("宋体", None),
        ("Times New Roman", None),
    ] {
        x.push_str(&format!(r#"<w:font w:name="{name}">"#));
        if let Some(a) = alt {
            x.push_str(&format!(r#"<w:altName w:val="{a}"/>"#));
        }
        if name != "Times New Roman" {
            x.push_str(r#"<w:charset w:val="86"/><w:family w:val="auto"/>"#);
        }
        x.push_str("</w:font>");
    }
    x.push_str("</w:fonts>");
    x
}

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

/// The footer: `— 1 —`, 四号 (14 pt) 宋体, centred.
fn footer() -> String {
    let r = |t: &str| {
        format!(
            r#"<w:r>{}<w:t xml:space="preserve">{t}</w:t></w:r>"#,
            rpr("宋体", "宋体", 28, false, false)
        )
    };
    let field = |instr: &str| {
        format!(
            r#"<w:r>{p}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{p}<w:instrText xml:space="preserve"> {instr} </w:instrText></w:r><w:r>{p}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{p}<w:t>1</w:t></w:r><w:r>{p}<w:fldChar w:fldCharType="end"/></w:r>"#,
            p = rpr("宋体", "宋体", 28, false, false)
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr {W}><w:p><w:pPr><w:jc w:val="center"/></w:pPr>{}{}{}</w:p></w:ftr>"#,
        r("— "),
        field("PAGE"),
        r(" —")
    )
}

fn core(title: &str, year: i32) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>jixiao</dc:creator><dc:language>zh-CN</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">{year:04}-12-31T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{year:04}-12-31T00:00:00Z</dcterms:modified></cp:coreProperties>"#,
        esc(title)
    )
}

const APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>jixiao</Application></Properties>"#;

/// The document's bytes.
///
/// # Errors
/// Only an internal zip writer error.
pub fn docx_bytes(title: &str, year: i32, blocks: &[Block], tables: &[Table]) -> Result<Vec<u8>> {
    let mut body = String::new();
    for b in blocks {
        body.push_str(&block_xml(b, tables));
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W}><w:body>{body}<w:sectPr><w:footerReference w:type="default" r:id="rId4"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="992" w:gutter="0"/><w:docGrid w:type="lines" w:linePitch="579"/></w:sectPr></w:body></w:document>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let parts: [(&str, String); 9] = [
        ("[Content_Types].xml", CONTENT_TYPES.into()),
        ("_rels/.rels", RELS.into()),
        ("word/_rels/document.xml.rels", DOC_RELS.into()),
        ("word/document.xml", document),
        ("word/styles.xml", styles()),
        ("word/settings.xml", SETTINGS.into()),
        ("word/fontTable.xml", font_table()),
        ("word/footer1.xml", footer()),
        ("docProps/core.xml", core(title, year)),
    ];
    for (name, text) in parts
        .iter()
        .map(|(n, t)| (*n, t.as_str()))
        .chain([("docProps/app.xml", APP)])
    {
        zip.start_file(name, opts)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}
