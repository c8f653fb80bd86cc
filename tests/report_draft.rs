//! The report draft (issue 6): `jixiao run` writes the 自评报告 as a Word document in 公文
//! format, every figure from the workbook's computation. Read back here as zip + XML, with
//! the seed's sentences typed from `../shared/seed/` (not from the program's output).

mod common;
use common::*;
use std::io::Read;

const DRAFT: &str = "2023年度岳阳市住房和城乡建设局部门整体支出绩效自评报告（初稿）.docx";

/// The document's XML.
fn document_xml(path: &std::path::Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The text of each paragraph outside tables, and of each table, from the XML.
fn text_of(xml: &str) -> (Vec<String>, Vec<String>) {
    let strip = |s: &str| -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(at) = rest.find("<w:t") {
            let after = &rest[at..];
            let Some(open_end) = after.find('>') else {
                break;
            };
            let tag = &after[..open_end];
            rest = &after[open_end + 1..];
            // Only `<w:t>` or `<w:t …>`, not `<w:tbl…>`, `<w:top …/>` and the like.
            if tag.split([' ', '/']).next() != Some("<w:t") {
                continue;
            }
            if let Some(close) = rest.find("</w:t>") {
                out.push_str(
                    &rest[..close]
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&quot;", "\"")
                        .replace("&amp;", "&"),
                );
                rest = &rest[close..];
            }
        }
        out
    };
    let mut paras = Vec::new();
    let mut tables = Vec::new();
    let mut rest = xml;
    loop {
        let p = rest.find("<w:p>");
        let t = rest.find("<w:tbl>");
        match (p, t) {
            (Some(p), t) if t.is_none_or(|t| p < t) => {
                let end = rest[p..].find("</w:p>").unwrap() + p;
                paras.push(strip(&rest[p..end]));
                rest = &rest[end..];
            }
            (_, Some(t)) => {
                let end = rest[t..].find("</w:tbl>").unwrap() + t;
                tables.push(strip(&rest[t..end]));
                rest = &rest[end..];
            }
            _ => break,
        }
    }
    (paras, tables)
}

fn sample_draft(w: &Workdir) -> String {
    let input = root().join("input");
    w.run(&["run", "--input", input.to_str().unwrap(), "--output", "out"])
        .expect_code(0);
    document_xml(&w.path(&format!("out/{DRAFT}")))
}

#[test]
fn the_sample_draft_says_the_seeds_sentences_with_its_figures() {
    let w = Workdir::new("draft-sample");
    let xml = sample_draft(&w);
    let (paras, tables) = text_of(&xml);
    let text = paras.join("\n");
    // Typed from the seed report, word for word.
    for sentence in [
        "2023年度岳阳市住房和城乡建设局部门整体支出绩效自评报告",
        // Issue 20: a full-width comma where the seed has a half-width one.
        "2023年度，本部门一般公共预算基本支出总金额为8204.44万元，其中人员经费支出7200.80万元，主要用于职工工资、津补贴、绩效工资及社会保障缴费等支出。公用经费支出1003.64万元，",
        "2023年度，公务接待费预算金额为9.50万元，实际支出金额为1.11万元，公务用车购置及公务用车运行维护费支出预算金额为19.50万元（其中公务用车购置预算0万元），公务用车购置及公务用车运行维护费实际支出金额为11.94万元（其中公务用车购置决算0万元），因公出国费用预算与实际支出均为0万元，“三公经费”支出总金额为13.05万元，控制在年初预算29.00万元之内。支出明细如下：",
        "本部门一般公共预算项目支出年初预算金额为1458.80万元（未含上年项目结转预算），",
        "年度项目支出预算总金额调整为12507.50万元。本年项目实际支出总金额为6788.47万元，",
        "本部门无政府性基金预算、国有资本经营预算、社会保险基金预算支出。",
        "部门年度预算支出总金额为22257.69万元，实际支出总金额为15698.18万元，其中基本支出8797.85万元（含其他资金支出593.41万元），项目支出总额为6900.33万元（含其他资金专项支出111.86万元），预算执行率为70.53%。",
        "2023年部门整体支出绩效自评得分为“96.3”分，评价等级为优秀。",
        // Issue 20: the judgement follows the figures (the seed wrote 良好 beside 优秀).
        "预算执行率为70.53%。预算成本控制较好，整体支出绩效优秀，达到既定目标要求。",
        "预算执行过程指标分值为10分，评价得分7.9分，主要扣分原因为部分项目预算执行率不高，导致部门整体预算执行率偏低，未更好的发挥财政资金使用效率。",
        "预算支出产出指标分值50分，评价得分49.6分",
        "预算支出效益指标分值30分，评价得分28.8分",
        "预算支出服务对象满意度指标分值10分，评价得分10分。",
        "局属单位包括：岳阳市城市建设档案馆、岳阳市城乡建设事务中心、岳阳市房地产交易中心、岳阳市房地产市场服务中心、岳阳市建设工程质量安全监督站、岳阳市绿色建筑产业发展服务中心、岳阳市污水处理监督中心、岳阳市住房保障服务中心8个管理单位。",
    ] {
        assert!(text.contains(sentence), "missing: {sentence}\n\n{text}");
    }
    // 存在的问题: the staff above quota with both numbers, the units below 80% by name.
    assert!(
        text.contains(
            "岳阳市住房和城乡建设局本级编制57人，2023年实有在岗人员67人，超过编制人数10人"
        )
    );
    assert!(text.contains("本部门整体预算执行率70.53%，岳阳市住房和城乡建设局本级69.50%"));
    // What the data cannot know: visible, highlighted placeholders.
    assert!(text.contains("【待填写：职能职责】"));
    assert!(xml.contains(r#"<w:highlight w:val="yellow"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr><w:t xml:space="preserve">【待填写：职能职责】"#));

    // The three tables: 三公 (per unit, two-row merged header), 项目支出, 评分.
    assert_eq!(tables.len(), 3, "{tables:#?}");
    assert!(
        tables[0]
            .starts_with("单位名称公车运行维护公车购置公务接待出国经费2023年预算数2023年决算数"),
        "{}",
        tables[0]
    );
    // Issue 20: zeros written 0.00 like the other amounts.
    assert!(tables[0].contains("岳阳市住房和城乡建设局本级7.505.340.000.007.001.110.000.00"));
    assert!(tables[0].ends_with("合  计19.5011.940.000.009.501.110.000.00"));
    assert_eq!(
        xml.matches("<w:tblHeader/>").count(),
        2 + 1 + 1,
        "header rows repeat"
    );
    assert!(
        xml.contains(r#"<w:gridSpan w:val="2"/>"#)
            && xml.contains(r#"<w:vMerge w:val="restart"/>"#)
    );
    let projects = &tables[1];
    assert_eq!(projects.matches("岳阳市").count(), 24, "24 project rows");
    assert!(projects.contains("工作经费及其他资金66.33未包括其他资金支出11.76万元"));
    assert!(projects.ends_with("合   计6788.47"));
    let scores = &tables[2];
    assert!(
        scores.contains("部门加权平均分7.949.628.81096.3评价等级优秀"),
        "{scores}"
    );
    assert_eq!(scores.matches("岳阳市").count(), 9);
}

#[test]
fn the_page_is_gbt_9704() {
    let w = Workdir::new("draft-format");
    let xml = sample_draft(&w);
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    assert!(xml.contains(r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#));
    assert!(xml.contains(r#"<w:spacing w:line="579" w:lineRule="exact""#));
    assert!(
        xml.contains(r#"w:eastAsia="仿宋_GB2312""#) && xml.contains(r#"w:ascii="Times New Roman""#)
    );
    assert!(
        xml.contains(r#"w:eastAsia="方正小标宋简体""#) && xml.contains(r#"<w:sz w:val="44"/>"#)
    );
    assert!(xml.contains(r#"w:eastAsia="黑体""#) && xml.contains(r#"w:eastAsia="楷体_GB2312""#));
    assert!(xml.contains(r#"<w:ind w:firstLineChars="200""#));
    // Issue 20: the 三公 table's year headers on two lines — `2023年` / `预算数` — never split
    // inside a word.
    assert_eq!(
        xml.matches(">2023年</w:t></w:r><w:r><w:br/></w:r>").count(),
        8,
        "each class's two year headers break after 年"
    );
    assert_eq!(xml.matches(r#"preserve">预算数</w:t>"#).count(), 4);
    assert_eq!(xml.matches(r#"preserve">决算数</w:t>"#).count(), 4);
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(w.path(&format!("out/{DRAFT}"))).unwrap())
            .unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let fonts = part("word/fontTable.xml");
    assert!(fonts.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#));
    assert!(fonts.contains(r#"<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/>"#));
    let footer = part("word/footer1.xml");
    assert!(footer.contains("— ") && footer.contains(" PAGE ") && footer.contains(" —"));
    assert!(footer.contains(r#"<w:sz w:val="28"/>"#), "四号");
}

#[test]
fn two_runs_give_the_same_bytes_and_a_failed_run_writes_none() {
    let a = Workdir::new("draft-bytes-a");
    let b = Workdir::new("draft-bytes-b");
    sample_draft(&a);
    sample_draft(&b);
    assert!(
        std::fs::read(a.path(&format!("out/{DRAFT}"))).unwrap()
            == std::fs::read(b.path(&format!("out/{DRAFT}"))).unwrap()
    );
    let w = Workdir::new("draft-failed");
    let bad = root().join("fixtures/bad/unknown-unit/input");
    w.run(&["run", "--input", bad.to_str().unwrap(), "--output", "out"])
        .expect_code(1);
    let docx: Vec<_> = std::fs::read_dir(w.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".docx"))
        .collect();
    assert!(docx.is_empty(), "{docx:?}");
}

#[test]
fn another_department_has_its_own_names_and_nothing_of_yueyang() {
    let w = Workdir::new("draft-wenlv");
    let input = root().join("fixtures/wenlv-2024/input");
    w.run(&["run", "--input", input.to_str().unwrap(), "--output", "out"])
        .expect_code(0);
    let xml =
        document_xml(&w.path("out/2024年度某市文化和旅游局部门整体支出绩效自评报告（初稿）.docx"));
    let (paras, tables) = text_of(&xml);
    let all = format!("{}{}", paras.join(""), tables.join(""));
    assert!(all.contains("2024年度某市文化和旅游局部门整体支出绩效自评报告"));
    assert!(all.contains("某市图书馆"));
    for yueyang in ["岳阳", "住房", "住建", "2023"] {
        assert!(!all.contains(yueyang), "{yueyang} in the wenlv draft");
    }
}

#[test]
fn narrative_from_the_config_and_a_template_of_ones_own() {
    let w = Workdir::new("draft-narrative");
    copy_dir(&root().join("input"), &w.path("in"));
    let cfg = std::fs::read_to_string(w.path("in/jixiao.toml")).unwrap();
    let with = format!(
        "{cfg}\n[narrative]\n\"职能职责\" = \"\"\"\n1、贯彻落实有关住房和城乡建设的法律法规。\n2、负责全市市政基础设施建设的行业管理。\n\"\"\"\n"
    );
    std::fs::write(w.path("in/jixiao.toml"), &with).unwrap();
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(0);
    assert!(run.stderr().contains("报告初稿中以下部分待填写"));
    assert!(
        !run.stderr()
            .contains("待填写（可在 jixiao.toml 的 [narrative] 中写好，下次自动填入）：职能职责")
    );
    let (paras, _) = text_of(&document_xml(&w.path(&format!("out/{DRAFT}"))));
    assert!(paras.contains(&"1、贯彻落实有关住房和城乡建设的法律法规。".to_string()));
    assert!(!paras.iter().any(|p| p.contains("【待填写：职能职责】")));

    // An unknown narrative key is a config error, like any other.
    std::fs::write(
        w.path("in/jixiao.toml"),
        format!("{cfg}\n[narrative]\n\"职责\" = \"x\"\n"),
    )
    .unwrap();
    let run = w.run(&["run", "--input", "in", "--output", "out"]);
    run.expect_code(2);
    assert!(run.stderr().contains("未知的配置项"), "{}", run.describe());

    // A template of one's own: its wording, the same values.
    std::fs::write(
        w.path("in/my.tpl"),
        "# {year}年度{department}自评报告\n支出{F10}万元，执行率{F15}。\n@table 项目支出\n",
    )
    .unwrap();
    let cfg2 = cfg.replacen("[report]\n", "[report]\ntemplate = \"my.tpl\"\n", 1);
    std::fs::write(w.path("in/jixiao.toml"), cfg2).unwrap();
    w.run(&["run", "--input", "in", "--output", "mine"])
        .expect_code(0);
    let (paras, tables) = text_of(&document_xml(&w.path(&format!("mine/{DRAFT}"))));
    assert!(
        paras.contains(&"支出15698.18万元，执行率70.53%。".to_string()),
        "{paras:?}"
    );
    assert_eq!(tables.len(), 1);
    // A template naming an unknown value fails before anything is written.
    std::fs::write(w.path("in/my.tpl"), "支出{F99}万元\n").unwrap();
    let run = w.run(&["run", "--input", "in", "--output", "broken"]);
    run.expect_code(2);
    assert!(
        run.stderr()
            .contains("报告模板有误：模板第1行：未知的值“F99”"),
        "{}",
        run.describe()
    );
    // Nothing at all: not the detail CSV (written while the files were read), nor its
    // temporary file.
    let left: Vec<String> = std::fs::read_dir(w.path("broken"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

/// Issue 20: with the 三公 over budget, the draft says what went over instead of “预算成本控制
/// 较好”.
#[test]
fn issue_20_the_cost_judgement_follows_the_figures() {
    let w = Workdir::new("draft-over-budget");
    copy_dir(&root().join("input"), &w.path("in"));
    std::fs::write(
        w.path("in/支付明细/补充接待费.csv"),
        "支付日期,预算单位,项目名称,支出类型,经济分类,资金性质,支付金额\n\
         2023-12-20,岳阳市住房和城乡建设局本级,,基本支出,30217 公务接待费,一般公共预算,200000.00\n",
    )
    .unwrap();
    w.run(&["run", "--input", "in", "--output", "out"])
        .expect_code(0);
    let (paras, _) = text_of(&document_xml(&w.path(&format!("out/{DRAFT}"))));
    let text = paras.join("\n");
    assert!(
        text.contains("“三公”经费支出33.05万元，超出预算29.00万元，整体支出绩效"),
        "{text}"
    );
    assert!(!text.contains("预算成本控制较好"), "{text}");
}
