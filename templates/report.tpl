// 部门整体支出绩效自评报告（初稿）的模板。说明见 docs/report-draft.md。
// {名称} 是数值；{?条件}…{/条件} 在条件成立时出现，{!条件}…{/条件} 在不成立时出现；
// @table 插入报表中同名的表；@narrative 插入 jixiao.toml [narrative] 中的文字；>> 右对齐。
# {year}年度{department}部门整体支出绩效自评报告{period}
## 一、部门基本情况
### （一）职能职责
@narrative 职能职责
### （二）部门机构设置
{?staff}本部门编制人数{staff_quota}人，实有在职人数{staff_actual}人。{/staff}{?subunits}局属单位包括：{subunit_names}{subunit_count}个管理单位。{/subunits}
@narrative 内设机构
## 二、一般公共预算支出情况
### （一）基本支出情况
{year}年度，本部门一般公共预算基本支出总金额为{F1}万元，其中人员经费支出{F2}万元，主要用于职工工资、津补贴、绩效工资及社会保障缴费等支出。公用经费支出{F3}万元，主要用于办公费、印刷费、水电费、邮电费、取暖费、物业费、差旅费、维修（护）费、租赁费、会议费、培训费、公务接待费、劳务费、委托业务费、工会经费、公务用车运行费、其他交通费用、其他商品和服务支出等保障单位运转费用支出。
{year}年度，公务接待费预算金额为{reception_budget}万元，实际支出金额为{reception_actual}万元，公务用车购置及公务用车运行维护费支出预算金额为{vehicle_budget}万元（其中公务用车购置预算{purchase_budget}万元），公务用车购置及公务用车运行维护费实际支出金额为{vehicle_actual}万元（其中公务用车购置决算{purchase_actual}万元），{?overseas_zero}因公出国费用预算与实际支出均为0万元{/overseas_zero}{!overseas_zero}因公出国费用预算金额为{overseas_budget}万元，实际支出金额为{overseas_actual}万元{/overseas_zero}，“三公经费”支出总金额为{F5}万元，{?sangong_within}控制在年初预算{F4}万元之内{/sangong_within}{!sangong_within}超出预算{F4}万元，超支{sangong_over}万元{/sangong_within}。支出明细如下：
@table 三公经费
### （二）项目支出情况
{year}年度，本部门一般公共预算项目支出年初预算金额为{F6}万元（未含上年项目结转预算），{?project_adjusted}年中追加了部分项目经费预算，{/project_adjusted}年度项目支出预算总金额调整为{F7}万元。本年项目实际支出总金额为{F8}万元，主要用于{项目支出用途}。具体支出情况如下：
@table 项目支出
{?forms}本部门对{forms_count}个有预算或支出的项目逐一开展了绩效自评，填报了项目支出绩效自评表（见附件）。{?forms_below}其中{forms_below_count}个项目自评得分低于90分：{forms_below_names}。{/forms_below}{!forms_below}{?forms_scored}已完成自评的项目得分均在90分以上。{/forms_scored}{/forms_below}{?forms_unscored}另有{forms_unscored_count}个项目尚未填报绩效指标，自评得分待补充。{/forms_unscored}{/forms}
## 三、政府性基金预算、国有资本经营预算、社会保险基金预算支出情况
{?no_govfund}本部门无政府性基金预算、国有资本经营预算、社会保险基金预算支出。{/no_govfund}{!no_govfund}本部门政府性基金预算支出{govfund_total}万元，其中基本支出{govfund_basic}万元，项目支出{govfund_project}万元；无国有资本经营预算、社会保险基金预算支出。{/no_govfund}
## 四、部门整体支出绩效情况
### （一）年度绩效目标
@narrative 年度绩效目标
### （二）完成情况和取得效益
@narrative 完成情况和取得效益
### （三）部门整体支出绩效评价工作实施情况
@narrative 评价工作实施情况
### （四）部门预算支出主要绩效
@narrative 主要绩效
### （五）部门履职和事业发展运行成本、管理效率及评价结论
{year}年度，本部门认真履行职能职责，圆满完成了年度目标任务。部门年度预算支出总金额为{F9}万元，实际支出总金额为{F10}万元，其中基本支出{F11}万元（含其他资金支出{F12}万元），项目支出总额为{F13}万元（含其他资金专项支出{F14}万元），预算执行率为{F15}。{?cost_within}预算成本控制较好，{/cost_within}{!cost_within}{cost_over}，{/cost_within}{?graded}整体支出绩效{grade}，{/graded}{!graded}整体支出绩效【待填写：评价等级】，{/graded}{?grade_met}达到既定目标要求。{/grade_met}{!grade_met}【待填写：未达到的目标及原因】。{/grade_met}
绩效评价小组对本部门支出情况进行了定量和定性分析，并按相关评价指标和标准进行了评分，{year}年部门整体支出绩效自评得分为“{score_total}”分，评价等级为{grade}。
@table 绩效评分
### （六）绩效指标分析
#### 1.预算执行过程情况
预算执行过程指标分值为{exec_points}分，评价得分{exec_score}分，{?exec_full}未扣分。{/exec_full}{!exec_full}主要扣分原因为部分项目预算执行率不高，导致部门整体预算执行率偏低，未更好的发挥财政资金使用效率。{/exec_full}
#### 2.预算支出产出情况
预算支出产出指标分值{output_points}分，评价得分{output_score}分{?output_full}，未扣分。{/output_full}{!output_full}，主要扣分原因为{output_reasons}。{/output_full}
#### 3.预算支出效益情况
预算支出效益指标分值{benefit_points}分，评价得分{benefit_score}分{?benefit_full}，未扣分。{/benefit_full}{!benefit_full}，主要扣分原因为{benefit_reasons}。{/benefit_full}
#### 4.服务对象满意度情况
预算支出服务对象满意度指标分值{satisfaction_points}分，评价得分{satisfaction_score}分{?satisfaction_full}。{/satisfaction_full}{!satisfaction_full}，主要扣分原因为{satisfaction_reasons}。{/satisfaction_full}
## 五、存在的问题及原因分析
{?no_problems}本年度核对未发现需要说明的问题。{/no_problems}
@each problems
{?超编}（{序号}）存在实际在岗人数超编制人数现象。{单位}编制{编制}人，{year}年实有在岗人员{实有}人，超过编制人数{超编}人，主要原因为【待填写：原因】。{/超编}{?执行率低}（{序号}）预算执行力度有待进一步加强。{year}年，本部门整体预算执行率{F15}，{单位执行率}，预算执行率低于{阈值}%，主要原因为【待填写：原因】。{/执行率低}{?三公超支}（{序号}）“三公”经费超出预算：{单位}{类别}，主要原因为【待填写：原因】。{/三公超支}
@end
## 六、下一步改进措施
@narrative 改进措施
## 七、部门整体支出绩效自评结果拟应用和公开情况，其他需要说明的情况
@narrative 结果应用
{?forms}附件：{year}年度项目支出绩效自评表（{forms_count}个项目）{/forms}
>> {department}
>> 【待填写：日期】
