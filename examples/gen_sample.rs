//! Writes the bundled sample year `input/` from a declared plan: the exports of
//! 岳阳市住房和城乡建设局 for 2023 whose correct aggregation gives every figure of the seed
//! report (`../shared/seed/`). Run with `cargo run --example gen_sample -- input`.
//!
//! The plan below is the whole truth of the sample: per unit its personnel and public
//! spending, its projects with their general-fund and other-fund spending, its budgets and
//! its indicators. The generator only spreads each annual amount over months and rows
//! (deterministically), and dresses the files as real exports: title rows, `单位：元`,
//! code-prefixed and alias unit names, amounts as text with thousands separators, a `合计`
//! row per sheet, footers, one month as a GBK CSV, another with other header synonyms, a
//! budget ledger in 万元, and a few reversals (冲销).

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};
use std::path::{Path, PathBuf};

type Cents = i64;

/// Yuan amount written as `1234.56` → cents.
fn c(wan: &str) -> Cents {
    // The plan is typed in 万元 with 2 decimals, as the seed report shows it.
    let (int, frac) = wan.split_once('.').unwrap_or((wan, "0"));
    let frac = format!("{frac:0<2}");
    int.parse::<i64>().unwrap() * 1_000_000 + frac[..2].parse::<i64>().unwrap() * 10_000
}

struct Unit {
    name: &'static str,
    code: &'static str,
    /// How the unit is written in the ledgers, in turn.
    spellings: &'static [&'static str],
    personnel: &'static str,
    public: &'static str,
    /// 三公: (econ, budget, actual), in 万元, part of `public` (actual) and basic budget.
    sangong: &'static [(&'static str, &'static str, &'static str)],
    other_basic: &'static str,
    /// (project, general actual, other actual, initial budget, slow?)
    projects: &'static [(&'static str, &'static str, &'static str, &'static str, bool)],
    /// Other-fund-only projects: (project, actual).
    other_projects: &'static [(&'static str, &'static str)],
    basic_budget: &'static str,
    /// The unit's adjusted budget over all funds and kinds.
    budget: &'static str,
}

const UNITS: &[Unit] = &[
    Unit {
        name: "岳阳市住房和城乡建设局本级",
        code: "501001",
        spellings: &[
            "岳阳市住房和城乡建设局本级",
            "501001-岳阳市住房和城乡建设局本级",
            "市住建局本级",
        ],
        personnel: "1650.25",
        public: "260.18",
        sangong: &[("30231", "7.50", "5.34"), ("30217", "7.00", "1.11")],
        other_basic: "0",
        projects: &[
            ("城乡建设事务管理经费", "419.77", "0", "420.00", false),
            ("施工图审查经费", "299.77", "0", "300.00", false),
            (
                "可再生能源、绿色建筑产业发展配套资金",
                "29.58",
                "0",
                "0",
                false,
            ),
            ("采石场及砂石公司专项补助", "12.60", "0", "0", false),
            ("防范化解房地产项目风险工作经费", "21.04", "0", "0", false),
            ("居民自建房安全专项整治工作经费", "467.17", "0", "0", false),
            ("城市管网及污水处理补助资金", "1629.28", "0", "0", true),
            ("住房城乡建设引导专项资金", "95.06", "0", "0", false),
            ("四中人行天桥EPC建设项目", "5.64", "0", "0", false),
            ("历史文化名城保护经费", "68.43", "0", "70.00", false),
        ],
        other_projects: &[],
        basic_budget: "1985.40",
        budget: "7134.92",
    },
    Unit {
        name: "岳阳市城市建设档案馆",
        code: "501002",
        spellings: &[
            "岳阳市城市建设档案馆",
            "501002 岳阳市城市建设档案馆",
            "市城建档案馆",
        ],
        personnel: "420.36",
        public: "60.21",
        sangong: &[("30217", "1.00", "0")],
        other_basic: "0",
        projects: &[
            ("建设档案事务管理经费", "89.86", "0", "90.00", false),
            ("城市管网及污水处理补助", "440.08", "0", "0", true),
            ("地下管线平台运行维护经费", "61.28", "0", "62.00", false),
        ],
        other_projects: &[],
        basic_budget: "500.00",
        budget: "1450.32",
    },
    Unit {
        name: "岳阳市城乡建设事务中心",
        code: "501003",
        spellings: &["岳阳市城乡建设事务中心", "[501003]岳阳市城乡建设事务中心"],
        personnel: "1160.87",
        public: "120.44",
        sangong: &[("30217", "1.00", "0")],
        other_basic: "0",
        projects: &[
            ("城乡建设事务管理经费", "143.59", "0", "145.00", false),
            ("2022年非税收入结转", "42.18", "0", "0", false),
            (
                "财政补助（城市管网及污水补助资金）",
                "783.97",
                "0",
                "0",
                true,
            ),
        ],
        other_projects: &[],
        basic_budget: "1613.26",
        budget: "5450.42",
    },
    Unit {
        name: "岳阳市房地产交易中心",
        code: "501004",
        spellings: &["岳阳市房地产交易中心", "市房地产交易中心"],
        personnel: "1120.47",
        public: "150.37",
        sangong: &[],
        other_basic: "350.21",
        projects: &[],
        other_projects: &[("房地产交易服务经费", "60.10")],
        basic_budget: "1324.62",
        budget: "1734.93",
    },
    Unit {
        name: "岳阳市房地产市场服务中心",
        code: "501005",
        spellings: &[
            "岳阳市房地产市场服务中心",
            "501005-岳阳市房地产市场服务中心",
        ],
        personnel: "610.33",
        public: "70.16",
        sangong: &[("30217", "0.50", "0")],
        other_basic: "120.10",
        projects: &[],
        other_projects: &[],
        basic_budget: "915.59",
        budget: "1035.69",
    },
    Unit {
        name: "岳阳市建设工程质量安全监督站",
        code: "501006",
        spellings: &["岳阳市建设工程质量安全监督站", "市质安站"],
        personnel: "890.16",
        public: "110.52",
        sangong: &[],
        other_basic: "123.10",
        projects: &[("业务工作经费", "41.64", "0", "0", true)],
        other_projects: &[],
        basic_budget: "1060.00",
        budget: "1237.18",
    },
    Unit {
        name: "岳阳市绿色建筑产业发展服务中心",
        code: "501007",
        spellings: &["岳阳市绿色建筑产业发展服务中心"],
        personnel: "380.24",
        public: "45.33",
        sangong: &[],
        other_basic: "0",
        projects: &[],
        other_projects: &[("绿色建筑推广经费", "40.00")],
        basic_budget: "466.05",
        budget: "506.05",
    },
    Unit {
        name: "岳阳市污水处理监督中心",
        code: "501008",
        spellings: &["岳阳市污水处理监督中心", "501008 岳阳市污水处理监督中心"],
        personnel: "460.58",
        public: "80.19",
        sangong: &[("30231", "6.00", "2.47")],
        other_basic: "0",
        projects: &[
            ("污水处理事务经费", "128.55", "0", "130.00", false),
            (
                "城市管网及污水处理补助（污水处理监督系统）",
                "146.69",
                "0",
                "0",
                true,
            ),
        ],
        other_projects: &[],
        basic_budget: "560.00",
        budget: "1205.33",
    },
    Unit {
        name: "岳阳市住房保障服务中心",
        code: "501009",
        spellings: &[
            "岳阳市住房保障服务中心",
            "市住房保障服务中心",
            "501009-岳阳市住房保障服务中心",
        ],
        personnel: "507.54",
        public: "106.24",
        sangong: &[("30231", "6.00", "4.13")],
        other_basic: "0",
        projects: &[
            ("保障房建设资金", "1500.00", "0", "0", false),
            ("老旧小区配套改造", "32.81", "0", "0", false),
            ("工作经费及其他资金", "66.33", "11.76", "0", false),
            ("业务工作经费", "146.86", "0", "150.00", false),
            ("运行维护经费", "116.29", "0", "91.80", true),
        ],
        other_projects: &[],
        basic_budget: "620.00",
        budget: "2502.85",
    },
];

/// (level1, level2, name, points, direction, target, actual, grade, given score, reason)
type Ind = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// The indicators of a unit: the common set, with the unit's deviations swapped in by name.
fn indicators(unit: usize) -> Vec<Ind> {
    let mut base: Vec<Ind> = vec![
        (
            "产出指标",
            "数量指标",
            "年度重点工作任务完成数",
            "15",
            "正向",
            "≥12项",
            "12项",
            "",
            "",
            "",
        ),
        (
            "产出指标",
            "质量指标",
            "资金使用合规率",
            "15",
            "正向",
            "100%",
            "100%",
            "",
            "",
            "",
        ),
        (
            "产出指标",
            "时效指标",
            "重点任务按期完成率",
            "10",
            "正向",
            "≥95%",
            "98%",
            "",
            "",
            "",
        ),
        (
            "产出指标",
            "成本指标",
            "安全生产责任事故",
            "10",
            "等于",
            "=0起",
            "0起",
            "",
            "",
            "",
        ),
        (
            "效益指标",
            "社会效益指标",
            "住建领域服务保障水平",
            "10",
            "定性",
            "有效提升",
            "有效提升",
            "达成",
            "10",
            "",
        ),
        (
            "效益指标",
            "经济效益指标",
            "行业税收贡献稳定",
            "10",
            "正向",
            "≥50亿元",
            "57亿元",
            "",
            "",
            "",
        ),
        (
            "效益指标",
            "可持续影响指标",
            "信访事项按期办结率",
            "10",
            "正向",
            "100%",
            "100%",
            "",
            "",
            "",
        ),
        (
            "满意度指标",
            "服务对象满意度指标",
            "服务对象满意度",
            "10",
            "正向",
            "≥90%",
            "92%",
            "",
            "",
            "",
        ),
    ];
    let swap = |base: &mut Vec<Ind>, name: &str, new: Ind| {
        if let Some(x) = base.iter_mut().find(|x| x.2 == name) {
            *x = new;
        }
    };
    match unit {
        0 => swap(
            &mut base,
            "住建领域服务保障水平",
            (
                "效益指标",
                "生态效益指标",
                "海绵城市建设进度",
                "10",
                "定性",
                "按计划推进",
                "部分项目滞后",
                "达成",
                "9",
                "海绵城市建设进度有待加快，下一步加强沟通协调",
            ),
        ),
        1 => swap(
            &mut base,
            "重点任务按期完成率",
            (
                "产出指标",
                "时效指标",
                "建设档案数字化完成率",
                "10",
                "正向",
                "≥100%",
                "75.5%",
                "",
                "",
                "档案数字化外包合同年底签订，部分工作顺延至次年",
            ),
        ),
        2 => swap(
            &mut base,
            "信访事项按期办结率",
            (
                "效益指标",
                "可持续影响指标",
                "管网项目前期手续平均办理时长",
                "10",
                "反向",
                "≤10天",
                "14天",
                "",
                "",
                "城市管网项目方案变动多，前期手续办理困难",
            ),
        ),
        3 => swap(
            &mut base,
            "信访事项按期办结率",
            (
                "效益指标",
                "社会效益指标",
                "存量房网签备案覆盖率",
                "10",
                "正向",
                "≥100%",
                "72.1%",
                "",
                "",
                "部分县市区网签系统未完成对接",
            ),
        ),
        7 => swap(
            &mut base,
            "行业税收贡献稳定",
            (
                "效益指标",
                "生态效益指标",
                "进水COD浓度不达标污水处理厂数",
                "10",
                "反向",
                "≤5个",
                "6个",
                "",
                "",
                "部分片区雨污分流改造未完成，进水浓度偏低",
            ),
        ),
        8 => {
            swap(
                &mut base,
                "年度重点工作任务完成数",
                (
                    "产出指标",
                    "数量指标",
                    "城镇棚户区改造开工套数",
                    "15",
                    "正向",
                    "≥2201套",
                    "1981套",
                    "",
                    "14.5",
                    "按省住建厅等3部门业务批复文件，年度指标由2201套调整为1981套",
                ),
            );
            swap(
                &mut base,
                "资金使用合规率",
                (
                    "产出指标",
                    "数量指标",
                    "保障性租赁住房开工套数",
                    "15",
                    "正向",
                    "≥5780套",
                    "4205套",
                    "",
                    "14.5",
                    "按省住建厅等3部门业务批复文件，年度指标由5780套调整为4205套",
                ),
            );
            swap(
                &mut base,
                "住建领域服务保障水平",
                (
                    "效益指标",
                    "社会效益指标",
                    "住房保障服务水平",
                    "10",
                    "定性",
                    "有效提升",
                    "基本实现",
                    "达成",
                    "9",
                    "公租房分配入住率仍有提升空间",
                ),
            );
        }
        _ => {}
    }
    base
}

/// Projects that get no indicators in the sample: their forms show the 【待填写】 placeholders.
const PROJECTS_WITHOUT_INDICATORS: &[&str] = &[
    "四中人行天桥EPC建设项目",
    "采石场及砂石公司专项补助",
    "2022年非税收入结转",
    "运行维护经费",
];

/// A project with indicators but no 年度总体目标 (its form shows 【待填写】 there).
const PROJECT_WITHOUT_GOAL: &str = "地下管线平台运行维护经费";

/// A project's indicators (SPEC §10): (goal, achieved, indicators), or None for the projects
/// of [`PROJECTS_WITHOUT_INDICATORS`]. The points add up to 50 / 30 / 10. Every project loses
/// 1 point on 长效管理机制建立 (a reason given); the slow projects (`slow`) lose 4 on 按计划完成率
/// (60% of 100%, a reason given); 保障房建设资金 loses 10 × (1 − 85/90) on 服务对象满意度 with no
/// reason (a warning, and 1条偏差原因 in the form's 待补充).
fn project_indicators(project: &str, slow: bool) -> Option<(String, String, Vec<Ind>)> {
    if PROJECTS_WITHOUT_INDICATORS.contains(&project) {
        return None;
    }
    let (on_time, on_time_reason) = if slow {
        (
            "60%",
            "工程建设周期跨年，部分资金结转下年使用；将加快工程进度和资金支付",
        )
    } else {
        ("100%", "")
    };
    let (satisfaction, satisfaction_reason) = if project == "保障房建设资金" {
        ("85%", "")
    } else {
        ("95%", "")
    };
    let inds: Vec<Ind> = vec![
        (
            "产出指标",
            "数量指标",
            "年度任务完成数",
            "20",
            "正向",
            "≥4项",
            "4项",
            "",
            "",
            "",
        ),
        (
            "产出指标",
            "质量指标",
            "项目验收合格率",
            "10",
            "正向",
            "≥95%",
            "100%",
            "",
            "",
            "",
        ),
        (
            "产出指标",
            "时效指标",
            "按计划完成率",
            "10",
            "正向",
            "100%",
            on_time,
            "",
            "",
            on_time_reason,
        ),
        (
            "产出指标",
            "成本指标",
            "成本控制率",
            "10",
            "反向",
            "≤100%",
            "98%",
            "",
            "",
            "",
        ),
        (
            "效益指标",
            "社会效益指标",
            "服务群众和行业发展",
            "15",
            "定性",
            "明显提升",
            "明显提升",
            "达成",
            "15",
            "",
        ),
        (
            "效益指标",
            "可持续影响指标",
            "长效管理机制建立",
            "15",
            "定性",
            "建立",
            "已建立",
            "达成",
            "14",
            "机制运行时间尚短，效果有待检验；将完善制度并跟踪评估",
        ),
        (
            "满意度指标",
            "服务对象满意度指标",
            "服务对象满意度",
            "10",
            "正向",
            "≥90%",
            satisfaction,
            "",
            "",
            satisfaction_reason,
        ),
    ];
    let (goal, achieved) = if project == PROJECT_WITHOUT_GOAL {
        (String::new(), String::new())
    } else if slow {
        (
            format!("按年度计划推进{project}，完成年度建设任务，规范使用资金。"),
            "项目按进度推进，部分工程跨年实施，相应资金结转下年使用。".to_string(),
        )
    } else {
        (
            format!("按年度计划完成{project}各项工作任务，规范使用资金，发挥预期效益。"),
            "已按计划完成年度任务，资金使用合规，达到预期效益。".to_string(),
        )
    };
    Some((goal, achieved, inds))
}

/// The project indicators of every unit, as the 一体化 system exports a project
/// self-evaluation: one row per indicator, with 项目名称 and the 年度总体目标 on each row.
fn write_project_indicators(path: &Path) {
    let mut wb = workbook();
    let ws = wb.add_worksheet();
    ws.set_name("项目绩效指标").unwrap();
    let bold = Format::new().set_bold();
    ws.write_with_format(
        0,
        0,
        "岳阳市住房和城乡建设局2023年度项目支出绩效自评指标表",
        &bold,
    )
    .unwrap();
    let headers = [
        "单位名称",
        "项目名称",
        "年度目标",
        "实际完成情况",
        "一级指标",
        "二级指标",
        "三级指标",
        "分值",
        "指标方向",
        "年度指标值",
        "实际完成值",
        "完成等级",
        "自评得分",
        "偏差原因",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_with_format(1, c as u16, *h, &bold).unwrap();
    }
    let mut r = 2;
    for unit in UNITS {
        let projects = unit
            .projects
            .iter()
            .map(|p| (p.0, p.4))
            .chain(unit.other_projects.iter().map(|p| (p.0, false)));
        for (project, slow) in projects {
            let Some((goal, achieved, inds)) = project_indicators(project, slow) else {
                continue;
            };
            for ind in inds {
                let cells = [
                    unit.name, project, &goal, &achieved, ind.0, ind.1, ind.2, "", ind.4, ind.5,
                    ind.6, ind.7, "", ind.9,
                ];
                for (c, v) in cells.iter().enumerate() {
                    if !v.is_empty() {
                        ws.write(r, c as u16, *v).unwrap();
                    }
                }
                ws.write_number(r, 7, ind.3.parse::<f64>().unwrap())
                    .unwrap();
                if !ind.8.is_empty() {
                    ws.write_number(r, 12, ind.8.parse::<f64>().unwrap())
                        .unwrap();
                }
                r += 1;
            }
        }
    }
    ws.write(
        r + 1,
        0,
        "填报说明：每个项目一组指标，分值合计为100分（预算执行10分由系统计算）。",
    )
    .unwrap();
    set_widths(ws, headers.len());
    wb.save(path).unwrap();
}

/// A small deterministic generator (no dependency, same numbers on every machine).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// Splits `total` cents into `n` positive parts that add up exactly.
fn split(total: Cents, n: usize, rng: &mut Lcg) -> Vec<Cents> {
    if total == 0 || n == 0 {
        return Vec::new();
    }
    let weights: Vec<u64> = (0..n).map(|_| rng.range(50, 150)).collect();
    let sum: u64 = weights.iter().sum();
    let mut parts: Vec<Cents> = weights
        .iter()
        .map(|w| total * *w as i64 / sum as i64)
        .collect();
    let rest = total - parts.iter().sum::<i64>();
    parts[n - 1] += rest;
    parts
}

#[derive(Clone)]
struct Pay {
    month: u32,
    day: u32,
    unit: usize,
    project: String,
    kind: &'static str,
    econ: &'static str,
    fund: &'static str,
    memo: String,
    amount: Cents,
}

const PERSONNEL: &[(&str, u64)] = &[
    ("30101 基本工资", 30),
    ("30102 津贴补贴", 22),
    ("30107 绩效工资", 18),
    ("30108 机关事业单位基本养老保险缴费", 12),
    ("30110 职工基本医疗保险缴费", 6),
    ("30113 住房公积金", 8),
    ("30302 退休费", 4),
];
const PUBLIC: &[&str] = &[
    "30201 办公费",
    "30205 水费",
    "30206 电费",
    "30207 邮电费",
    "30209 物业管理费",
    "30211 差旅费",
    "30213 维修（护）费",
    "30216 培训费",
    "30228 工会经费",
    "30299 其他商品和服务支出",
];
const PROJECT_ECON: &[&str] = &[
    "30227 委托业务费",
    "30226 劳务费",
    "31005 基础设施建设",
    "30299 其他商品和服务支出",
    "30213 维修（护）费",
];

fn payments() -> Vec<Pay> {
    let mut rng = Lcg(2023);
    let mut out = Vec::new();
    for (u, unit) in UNITS.iter().enumerate() {
        // Personnel: every month, every class.
        let personnel = c(unit.personnel);
        let weights: u64 = PERSONNEL.iter().map(|p| p.1).sum();
        let mut left = personnel;
        for (k, (econ, w)) in PERSONNEL.iter().enumerate() {
            let share = if k + 1 == PERSONNEL.len() {
                left
            } else {
                personnel * *w as i64 / weights as i64
            };
            left -= share;
            for (m, part) in split(share, 12, &mut rng).into_iter().enumerate() {
                out.push(Pay {
                    month: m as u32 + 1,
                    day: 15,
                    unit: u,
                    project: String::new(),
                    kind: "基本支出",
                    econ,
                    fund: "一般公共预算",
                    memo: format!("{}月{}", m + 1, &econ[6..]),
                    amount: part,
                });
            }
        }
        // Public: 三公 first, the rest over the other classes.
        let sangong: Cents = unit.sangong.iter().map(|s| c(s.2)).sum();
        for (econ, _, actual) in unit.sangong {
            let label = if *econ == "30231" {
                "30231 公务用车运行维护费"
            } else {
                "30217-公务接待费"
            };
            for part in split(c(actual), 5, &mut rng) {
                let m = rng.range(1, 12) as u32;
                out.push(Pay {
                    month: m,
                    day: rng.range(1, 28) as u32,
                    unit: u,
                    project: String::new(),
                    kind: "基本支出",
                    econ: label,
                    fund: "一般公共预算",
                    memo: if *econ == "30231" {
                        "公务用车加油及维修".into()
                    } else {
                        "公务接待".into()
                    },
                    amount: part,
                });
            }
        }
        let public = c(unit.public) - sangong;
        for part in split(public, 60, &mut rng) {
            let econ = PUBLIC[rng.range(0, PUBLIC.len() as u64 - 1) as usize];
            out.push(Pay {
                month: rng.range(1, 12) as u32,
                day: rng.range(1, 28) as u32,
                unit: u,
                project: String::new(),
                kind: "基本支出",
                econ,
                fund: "一般公共预算",
                memo: format!("支付{}", &econ[6..]),
                amount: part,
            });
        }
        for part in split(c(unit.other_basic), 24, &mut rng) {
            let econ = if rng.range(0, 1) == 0 {
                "30101 基本工资"
            } else {
                "30201 办公费"
            };
            out.push(Pay {
                month: rng.range(1, 12) as u32,
                day: rng.range(1, 28) as u32,
                unit: u,
                project: String::new(),
                kind: "基本支出",
                econ,
                fund: "单位资金",
                memo: "单位资金支出".into(),
                amount: part,
            });
        }
        // Projects.
        for (name, general, other, _, _) in unit.projects {
            let n = (c(general) / 30_000_000).clamp(2, 40) as usize;
            for part in split(c(general), n, &mut rng) {
                let econ = PROJECT_ECON[rng.range(0, PROJECT_ECON.len() as u64 - 1) as usize];
                out.push(Pay {
                    month: rng.range(2, 12) as u32,
                    day: rng.range(1, 28) as u32,
                    unit: u,
                    project: name.to_string(),
                    kind: "项目支出",
                    econ,
                    fund: "一般公共预算",
                    memo: format!("{name}支出"),
                    amount: part,
                });
            }
            for part in split(c(other), 3, &mut rng) {
                out.push(Pay {
                    month: rng.range(2, 12) as u32,
                    day: rng.range(1, 28) as u32,
                    unit: u,
                    project: name.to_string(),
                    kind: "项目支出",
                    econ: "30299 其他商品和服务支出",
                    fund: "事业收入",
                    memo: "其他资金支出".into(),
                    amount: part,
                });
            }
        }
        for (name, actual) in unit.other_projects {
            for part in split(c(actual), 6, &mut rng) {
                out.push(Pay {
                    month: rng.range(1, 12) as u32,
                    day: rng.range(1, 28) as u32,
                    unit: u,
                    project: name.to_string(),
                    kind: "项目支出",
                    econ: "30227 委托业务费",
                    fund: "单位资金",
                    memo: "单位资金项目支出".into(),
                    amount: part,
                });
            }
        }
    }
    // A few reversals (冲销): a wrong payment and its negative, netting to zero.
    for (k, u) in [0usize, 2, 8].into_iter().enumerate() {
        let amount = 123_456 * (k as i64 + 1);
        let m = 3 + 3 * k as u32;
        let base = Pay {
            month: m,
            day: 10,
            unit: u,
            project: String::new(),
            kind: "基本支出",
            econ: "30201 办公费",
            fund: "一般公共预算",
            memo: "办公用品（错付）".into(),
            amount,
        };
        out.push(base.clone());
        out.push(Pay {
            month: m,
            day: 20,
            memo: "冲销错付办公用品".into(),
            amount: -amount,
            ..base
        });
    }
    out.sort_by_key(|p| (p.month, p.day, p.unit));
    out
}

fn workbook() -> Workbook {
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(2024, 1, 10).unwrap();
    wb.set_properties(
        &DocProperties::new()
            .set_author("预算管理一体化系统")
            .set_creation_datetime(&when),
    );
    wb
}

fn yuan_text(c: Cents) -> String {
    let neg = c < 0;
    let c = c.abs();
    let int = (c / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}{grouped}.{:02}", if neg { "-" } else { "" }, c % 100)
}

/// The monthly ledger layout: which header names, where the header sits, which columns.
struct Layout {
    title_rows: u32,
    headers: [&'static str; 10],
    with_kind: bool,
}

const STANDARD: Layout = Layout {
    title_rows: 2,
    headers: [
        "支付日期",
        "支付凭证号",
        "预算单位",
        "项目名称",
        "支出类型",
        "经济分类",
        "资金性质",
        "摘要",
        "支付金额",
        "",
    ],
    with_kind: true,
};
/// November's export came from another menu: other synonyms, an extra title row, no kind.
const OTHER: Layout = Layout {
    title_rows: 3,
    headers: [
        "记账日期",
        "凭证号",
        "预算单位名称",
        "支出项目",
        "部门经济分类科目",
        "资金来源",
        "用途",
        "发生额（元）",
        "",
        "",
    ],
    with_kind: false,
};

fn ledger_rows(pays: &[&Pay], month: u32, layout: &Layout, serial: &mut u32) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (i, p) in pays.iter().enumerate() {
        *serial += 1;
        let unit = UNITS[p.unit].spellings[i % UNITS[p.unit].spellings.len()];
        let date = format!("2023-{month:02}-{:02}", p.day);
        let voucher = format!("ZF2023{month:02}{:05}", serial);
        let project = if p.project.is_empty() && i % 7 == 0 && !layout.with_kind {
            "基本支出".to_string()
        } else {
            p.project.clone()
        };
        let mut r = vec![date, voucher, unit.to_string(), project];
        if layout.with_kind {
            r.push(p.kind.to_string());
        }
        r.extend([p.econ.to_string(), p.fund.to_string(), p.memo.clone()]);
        rows.push(r);
    }
    rows
}

fn write_month_xlsx(path: &Path, month: u32, pays: &[&Pay], layout: &Layout, serial: &mut u32) {
    let mut wb = workbook();
    let ws = wb.add_worksheet();
    ws.set_name("支付明细").unwrap();
    let bold = Format::new().set_bold();
    ws.write_with_format(
        0,
        0,
        format!("岳阳市住房和城乡建设局2023年{month:02}月国库集中支付明细表"),
        &bold,
    )
    .unwrap();
    if layout.title_rows == 3 {
        ws.write(
            1,
            0,
            "数据来源：预算管理一体化系统 › 支付管理 › 支付明细查询",
        )
        .unwrap();
    }
    let unit_row = layout.title_rows - 1;
    ws.write(unit_row, 0, "编制单位：岳阳市住房和城乡建设局")
        .unwrap();
    if layout.title_rows == 2 {
        ws.write(unit_row, 7, "单位：元").unwrap();
    }
    let h = layout.title_rows;
    let headers: Vec<&str> = layout
        .headers
        .iter()
        .copied()
        .filter(|x| !x.is_empty())
        .collect();
    for (c, name) in headers.iter().enumerate() {
        ws.write_with_format(h, c as u16, *name, &bold).unwrap();
    }
    let amount_col = headers.len() as u16 - 1;
    let rows = ledger_rows(pays, month, layout, serial);
    let mut total = 0;
    let mut r = h + 1;
    for (i, (row, p)) in rows.iter().zip(pays).enumerate() {
        if i == rows.len() / 2 {
            r += 1; // a blank row in the middle, as exports have at page breaks
        }
        for (c, v) in row.iter().enumerate() {
            ws.write(r, c as u16, v).unwrap();
        }
        if i % 5 == 0 {
            ws.write(r, amount_col, yuan_text(p.amount)).unwrap();
        } else {
            ws.write_number(r, amount_col, p.amount as f64 / 100.0)
                .unwrap();
        }
        total += p.amount;
        r += 1;
    }
    ws.write_with_format(r, 0, "合计", &bold).unwrap();
    ws.write_number_with_format(r, amount_col, total as f64 / 100.0, &bold)
        .unwrap();
    ws.write(r + 2, 0, "制表人：张三        审核人：李四")
        .unwrap();
    set_widths(ws, headers.len());
    wb.save(path).unwrap();
}

fn set_widths(ws: &mut Worksheet, n: usize) {
    for c in 0..n {
        ws.set_column_width(c as u16, 18).unwrap();
    }
}

fn write_month_csv_gbk(path: &Path, month: u32, pays: &[&Pay], serial: &mut u32) {
    let mut text = String::new();
    text.push_str(&format!(
        "岳阳市住房和城乡建设局2023年{month:02}月国库集中支付明细表,,,,,,,,\r\n"
    ));
    text.push_str(",,,,,,,单位：元,\r\n");
    text.push_str(&STANDARD.headers[..9].join(","));
    text.push_str("\r\n");
    let rows = ledger_rows(pays, month, &STANDARD, serial);
    let mut total = 0;
    for (i, (row, p)) in rows.iter().zip(pays).enumerate() {
        let amount = if i % 3 == 0 {
            format!("\"{}\"", yuan_text(p.amount))
        } else {
            format!("{}", p.amount as f64 / 100.0)
        };
        let cells: Vec<String> = row
            .iter()
            .map(|v| {
                if v.contains(',') {
                    format!("\"{v}\"")
                } else {
                    v.clone()
                }
            })
            .collect();
        text.push_str(&format!("{},{amount}\r\n", cells.join(",")));
        total += p.amount;
    }
    text.push_str(&format!("合计,,,,,,,,\"{}\"\r\n", yuan_text(total)));
    text.push_str("制表人：张三,,审核人：李四,,,,,,\r\n");
    let (bytes, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad, "sample text must be GBK-encodable");
    std::fs::write(path, bytes).unwrap();
}

struct BudgetLine {
    unit: usize,
    project: String,
    kind: &'static str,
    econ: &'static str,
    fund: &'static str,
    bkind: &'static str,
    doc: &'static str,
    amount: Cents,
}

fn budget_lines() -> Vec<BudgetLine> {
    let mut out = Vec::new();
    for (u, unit) in UNITS.iter().enumerate() {
        let push = |out: &mut Vec<BudgetLine>,
                    project: &str,
                    kind,
                    econ,
                    fund,
                    bkind,
                    doc,
                    amount: Cents| {
            if amount != 0 {
                out.push(BudgetLine {
                    unit: u,
                    project: project.to_string(),
                    kind,
                    econ,
                    fund,
                    bkind,
                    doc,
                    amount,
                });
            }
        };
        // Basic, general: 三公 lines, personnel 72%, public the rest (年初), and an addition.
        let basic = c(unit.basic_budget);
        let sangong: Cents = unit.sangong.iter().map(|s| c(s.1)).sum();
        for (econ, budget, _) in unit.sangong {
            let label = if *econ == "30231" {
                "30231 公务用车运行维护费"
            } else {
                "30217 公务接待费"
            };
            push(
                &mut out,
                "",
                "基本支出",
                label,
                "一般公共预算",
                "年初预算",
                "岳财预〔2023〕1号",
                c(budget),
            );
        }
        let rest = basic - sangong;
        let personnel = rest * 72 / 100;
        let addition = (rest - personnel) / 10;
        push(
            &mut out,
            "",
            "基本支出",
            "30101 基本工资",
            "一般公共预算",
            "年初预算",
            "岳财预〔2023〕1号",
            personnel,
        );
        push(
            &mut out,
            "",
            "基本支出",
            "30201 办公费",
            "一般公共预算",
            "年初预算",
            "岳财预〔2023〕1号",
            rest - personnel - addition,
        );
        push(
            &mut out,
            "",
            "基本支出",
            "30201 办公费",
            "一般公共预算",
            "追加",
            "岳财预〔2023〕56号",
            addition,
        );
        // Other funds: budgeted as spent.
        push(
            &mut out,
            "",
            "基本支出",
            "30101 基本工资",
            "单位资金",
            "年初预算",
            "单位资金预算",
            c(unit.other_basic),
        );
        for (name, actual) in unit.other_projects {
            push(
                &mut out,
                name,
                "项目支出",
                "30227 委托业务费",
                "单位资金",
                "年初预算",
                "单位资金预算",
                c(actual),
            );
        }
        // Projects: each budget a little above its spending; the slow project takes the rest.
        let other_project: Cents = unit.projects.iter().map(|p| c(p.2)).sum();
        let project_total = c(unit.budget)
            - basic
            - c(unit.other_basic)
            - unit.other_projects.iter().map(|p| c(p.1)).sum::<Cents>()
            - other_project;
        let mut budgets: Vec<Cents> = unit
            .projects
            .iter()
            .map(|p| {
                if p.4 {
                    0
                } else {
                    (c(p.1) / 1_000_000 + 1) * 1_000_000
                }
            })
            .collect();
        let fixed: Cents = budgets.iter().sum();
        if let Some(slow) = unit.projects.iter().position(|p| p.4) {
            budgets[slow] = project_total - fixed;
        } else if let Some(last) = budgets.last_mut() {
            *last += project_total - fixed;
        }
        for (k, (p, budget)) in unit.projects.iter().zip(budgets).enumerate() {
            let initial = c(p.3);
            push(
                &mut out,
                p.0,
                "项目支出",
                "30227 委托业务费",
                "一般公共预算",
                "年初预算",
                "岳财预〔2023〕1号",
                initial,
            );
            let rest = budget - initial;
            if p.0.contains("结转") {
                push(
                    &mut out,
                    p.0,
                    "项目支出",
                    "30227 委托业务费",
                    "一般公共预算",
                    "上年结转",
                    "岳财预〔2023〕8号",
                    rest,
                );
            } else if k % 3 == 1 && rest > 2_000_000 {
                // A carry-over from last year, the rest added in the year.
                push(
                    &mut out,
                    p.0,
                    "项目支出",
                    "31005 基础设施建设",
                    "一般公共预算",
                    "上年结转",
                    "岳财预〔2023〕8号",
                    1_000_000,
                );
                push(
                    &mut out,
                    p.0,
                    "项目支出",
                    "31005 基础设施建设",
                    "一般公共预算",
                    "追加",
                    "岳财预〔2023〕77号",
                    rest - 1_000_000,
                );
            } else if k % 3 == 2 && rest > 0 {
                // An addition later partly taken back.
                push(
                    &mut out,
                    p.0,
                    "项目支出",
                    "30227 委托业务费",
                    "一般公共预算",
                    "追加",
                    "岳财预〔2023〕77号",
                    rest + 500_000,
                );
                push(
                    &mut out,
                    p.0,
                    "项目支出",
                    "30227 委托业务费",
                    "一般公共预算",
                    "调减",
                    "岳财预〔2023〕120号",
                    500_000,
                );
            } else {
                push(
                    &mut out,
                    p.0,
                    "项目支出",
                    "30227 委托业务费",
                    "一般公共预算",
                    "追加",
                    "岳财预〔2023〕77号",
                    rest,
                );
            }
        }
        if other_project > 0 {
            for p in unit.projects.iter().filter(|p| c(p.2) != 0) {
                push(
                    &mut out,
                    p.0,
                    "项目支出",
                    "30299 其他商品和服务支出",
                    "事业收入",
                    "年初预算",
                    "单位资金预算",
                    c(p.2),
                );
            }
        }
    }
    out
}

fn write_budget(path: &Path) {
    let mut wb = workbook();
    let ws = wb.add_worksheet();
    ws.set_name("预算指标").unwrap();
    let bold = Format::new().set_bold();
    ws.write_with_format(
        0,
        0,
        "岳阳市住房和城乡建设局2023年度预算指标明细（含调整）",
        &bold,
    )
    .unwrap();
    ws.write(1, 8, "单位：万元").unwrap();
    let headers = [
        "预算单位",
        "单位编码",
        "项目名称",
        "支出类型",
        "经济分类",
        "资金性质",
        "指标类型",
        "指标文号",
        "指标金额",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_with_format(2, c as u16, *h, &bold).unwrap();
    }
    let mut r = 3;
    let mut total = 0;
    for (i, l) in budget_lines().iter().enumerate() {
        let unit = &UNITS[l.unit];
        ws.write(r, 0, unit.spellings[i % unit.spellings.len()])
            .unwrap();
        ws.write(r, 1, unit.code).unwrap();
        ws.write(r, 2, &l.project).unwrap();
        ws.write(r, 3, l.kind).unwrap();
        ws.write(r, 4, l.econ).unwrap();
        ws.write(r, 5, l.fund).unwrap();
        ws.write(r, 6, l.bkind).unwrap();
        ws.write(r, 7, l.doc).unwrap();
        ws.write_number(r, 8, l.amount as f64 / 1_000_000.0)
            .unwrap();
        total += l.amount;
        r += 1;
    }
    ws.write_with_format(r, 0, "合计", &bold).unwrap();
    ws.write_number_with_format(r, 8, total as f64 / 1_000_000.0, &bold)
        .unwrap();
    ws.write(r + 1, 0, "注：调减指标以正数列示，汇总时自动扣减。")
        .unwrap();
    set_widths(ws, headers.len());
    let notes = wb.add_worksheet();
    notes.set_name("说明").unwrap();
    notes
        .write(0, 0, "本表由预算管理一体化系统导出，指标金额单位为万元。")
        .unwrap();
    wb.save(path).unwrap();
}

fn write_indicators(path: &Path) {
    let mut wb = workbook();
    let ws = wb.add_worksheet();
    ws.set_name("绩效指标").unwrap();
    let bold = Format::new().set_bold();
    ws.write_with_format(
        0,
        0,
        "岳阳市住房和城乡建设局2023年度部门整体支出绩效自评指标表",
        &bold,
    )
    .unwrap();
    let headers = [
        "单位名称",
        "一级指标",
        "二级指标",
        "三级指标",
        "分值",
        "指标方向",
        "年度指标值",
        "实际完成值",
        "完成等级",
        "自评得分",
        "偏差原因",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_with_format(1, c as u16, *h, &bold).unwrap();
    }
    let mut r = 2;
    for (u, unit) in UNITS.iter().enumerate() {
        for ind in indicators(u) {
            let cells = [
                unit.name, ind.0, ind.1, ind.2, "", ind.4, ind.5, ind.6, ind.7, "", ind.9,
            ];
            for (c, v) in cells.iter().enumerate() {
                if !v.is_empty() {
                    ws.write(r, c as u16, *v).unwrap();
                }
            }
            ws.write_number(r, 4, ind.3.parse::<f64>().unwrap())
                .unwrap();
            if !ind.8.is_empty() {
                ws.write_number(r, 9, ind.8.parse::<f64>().unwrap())
                    .unwrap();
            }
            r += 1;
        }
    }
    ws.write(
        r + 1,
        0,
        "填报说明：定性指标按完成等级填写自评得分；得分低于分值的须说明偏差原因。",
    )
    .unwrap();
    set_widths(ws, headers.len());
    let notes = wb.add_worksheet();
    notes.set_name("填表说明").unwrap();
    notes
        .write(0, 0, "1. 指标方向：正向、反向、等于、定性。")
        .unwrap();
    notes
        .write(
            1,
            0,
            "2. 定性指标完成等级：达成（80%-100%）、部分达成（60%-80%）、未达成（60%以下）。",
        )
        .unwrap();
    wb.save(path).unwrap();
}

fn write_config(path: &Path) {
    let mut s = String::from(
        "# 岳阳市住房和城乡建设局 2023 年度部门整体支出绩效自评：本文件夹中导出数据的说明。\n\n[report]\ndepartment = \"岳阳市住房和城乡建设局\"\nyear = 2023\nledger_amount_unit = \"元\"\nweighting = \"equal\"\nprogress_basis = \"month\"\n",
    );
    for u in UNITS {
        s.push_str(&format!(
            "\n[[unit]]\nname = \"{}\"\ncode = \"{}\"\n",
            u.name, u.code
        ));
        let aliases: Vec<String> = u
            .spellings
            .iter()
            .filter(|x| !x.contains(u.name))
            .map(|x| format!("\"{x}\""))
            .collect();
        if !aliases.is_empty() {
            s.push_str(&format!("aliases = [{}]\n", aliases.join(", ")));
        }
        if u.code == "501001" {
            s.push_str("staff_quota = 57\nstaff_actual = 67\n");
        }
        // The report's row order of the unit's projects. 质安站 lists none: its one project
        // takes its place by first appearance.
        if !u.projects.is_empty() && u.code != "501006" {
            let projects: Vec<String> = u
                .projects
                .iter()
                .map(|p| format!("  \"{}\",\n", p.0))
                .collect();
            s.push_str(&format!("projects = [\n{}]\n", projects.concat()));
        }
    }
    std::fs::write(path, s).unwrap();
}

fn main() {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "input".into()));
    let _ = std::fs::remove_dir_all(&out);
    for d in ["支付明细", "预算指标", "绩效指标"] {
        std::fs::create_dir_all(out.join(d)).unwrap();
    }
    let pays = payments();
    let mut serial = 0;
    for month in 1..=12 {
        let of_month: Vec<&Pay> = pays.iter().filter(|p| p.month == month).collect();
        match month {
            5 => write_month_csv_gbk(
                &out.join(format!("支付明细/2023年{month:02}月支付明细.csv")),
                month,
                &of_month,
                &mut serial,
            ),
            11 => write_month_xlsx(
                &out.join(format!("支付明细/2023年{month:02}月支付明细.xlsx")),
                month,
                &of_month,
                &OTHER,
                &mut serial,
            ),
            _ => write_month_xlsx(
                &out.join(format!("支付明细/2023年{month:02}月支付明细.xlsx")),
                month,
                &of_month,
                &STANDARD,
                &mut serial,
            ),
        }
    }
    write_budget(&out.join("预算指标/2023年度预算指标.xlsx"));
    write_indicators(&out.join("绩效指标/2023年度绩效自评指标.xlsx"));
    write_project_indicators(&out.join("绩效指标/2023年度项目支出绩效自评指标.xlsx"));
    write_config(&out.join("jixiao.toml"));
    println!("wrote {} payments to {}", pays.len(), out.display());
}
