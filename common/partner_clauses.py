"""The clauses of each partner family's contract (产业链产品合同), as plain data.

A partner product finances no car, so none of the vehicle lease's clauses (use and GPS, motor
insurance, mortgage registration of the car) fit it; each family's contract is written for what
it finances. `common.contract_templates` turns these into the families' shipped templates, as it
does `common.contract_clauses` for the vehicle leases; the template fields in braces are from its
fixed set (`TEMPLATE_FIELDS`).

- Supplier finance 应收账款融资: a factoring-style financing with recourse (有追索权保理, 民法典
  第七百六十一条起): the supplier assigns the receivable and notifies the debtor (an assignment
  binds the debtor only once notified, 第五百四十六条), warrants it genuine and unencumbered, and
  buys it back if the debtor has not paid by the due date; the debtor pays into the lessor's
  account, interest monthly and the principal at maturity (先息后本).
- Freight advance 运费垫付: freight advanced against a delivered (signed-for) waybill, the freight
  pledged (a receivable's pledge exists from its registration, 第四百四十五条), repaid from the
  shipper's payment on the settlement date, with recourse to the carrier.
- Charging pile 充电桩设备融资租赁: an equipment finance lease of the listed piles at their site,
  the lessor's ownership registered (unregistered, it does not bind a third party in good faith,
  第七百四十五条), maintenance and property insurance on the lessee, revenue sharing 电费分账 when
  the product carries it (a clause with ``when`` = "revenue_share"), purchase or return at the end.

A receivable is financed, not leased: its parties are named for what they are (保理商 and 卖方,
垫付方 and 承运人), and the shop that filed the application signs as 经办机构.
"""

from __future__ import annotations

# (heading, body) or (heading, body, when): a clause with a ``when`` is in a contract only when
# the contract has that feature (`common.contract_templates.CLAUSE_CONDITIONS`).
ClauseData = tuple[str, str] | tuple[str, str, str]

# Shared by the partner families: confidentiality between companies, disputes, e-signature.
_GENERAL: tuple[ClauseData, ...] = (
    (
        "保密与个人信息保护",
        "各方对订立和履行本合同过程中知悉的其他方商业秘密及交易信息负有保密义务，"
        "但依照法律法规、监管要求或为办理登记、融资、资产转让所必需披露的除外。"
        "{lessor_name}仅为订立和履行本合同、风险管理及监管报送之目的处理各方授权代表等自然人的"
        "个人信息，并依照《中华人民共和国个人信息保护法》采取必要的安全措施；"
        "本合同中的身份证件号码和手机号码均已脱敏显示。",
    ),
    (
        "争议解决",
        "本合同适用中华人民共和国法律。因本合同引起的或与本合同有关的争议，"
        "各方应协商解决；协商不成的，任何一方均可向{lessor_name}住所地有管辖权的人民法院提起诉讼。",
    ),
    (
        "合同的订立与效力",
        "本合同编号为{contract_number}，以电子方式订立，"
        "依照《中华人民共和国电子签名法》，各方的可靠电子签名与手写签名或者盖章具有同等法律效力。"
        "本合同自各方签署并加盖{lessor_name}电子印章之日起生效，所附支付表为本合同不可分割的组成部分。",
    ),
)

# The filing shop in a receivable's contract: it handled the application, it owes nothing.
_HANDLING_SHOP: ClauseData = (
    "经办机构",
    "经办机构{dealer_name}负责受理本合同项下的融资申请，核验并提交相关资料，"
    "对其提交的资料与原件一致负责；经办机构不承担本合同项下的还款义务。",
)

SUPPLIER_FINANCE_TITLE = "应收账款融资合同（有追索权）"
SUPPLIER_FINANCE_ROLES = {"lessor": "保理商", "lessee": "卖方", "dealer": "经办机构"}
SUPPLIER_FINANCE: tuple[ClauseData, ...] = (
    (
        "融资标的",
        "卖方{lessee_name}因向债务人{counterparty_name}（统一社会信用代码{counterparty_uscc}）"
        "销售货物而对其享有应收账款（发票号码{asset_document}，开票日{asset_issued_on}，"
        "金额人民币{asset_amount}元，到期日{asset_due_date}，以下简称“标的应收账款”）。"
        "卖方将标的应收账款转让予保理商{lessor_name}，保理商据此向卖方提供应收账款融资，"
        "融资金额为人民币{principal}元。",
    ),
    (
        "应收账款转让",
        "自保理商支付融资款之日起，标的应收账款及其从权利（包括担保权益、违约金及损害赔偿请求权）"
        "转让予保理商。保理商有权在中国人民银行征信中心动产融资统一登记公示系统办理应收账款转让登记，"
        "卖方应予配合。",
    ),
    (
        "转让通知",
        "卖方应于本合同生效后三个工作日内书面通知债务人标的应收账款已转让予保理商，"
        "并要求债务人于应收账款到期日{asset_due_date}将应付款项付至保理商指定的收款账户，"
        "再将债务人签章确认的转让通知回执交保理商留存。卖方未按约通知的，保理商有权自行通知债务人。"
        "转让通知送达债务人后，未经保理商书面同意，卖方不得与债务人变更、解除买卖合同或减免应收账款。",
    ),
    (
        "卖方的陈述与保证",
        "卖方保证：（一）标的应收账款基于真实、合法的货物销售交易产生，卖方已按买卖合同交付货物，"
        "所附发票及交易单据真实、完整；（二）卖方对标的应收账款享有完整的权利，"
        "未将其转让、质押予任何第三方，未设定其他权利负担，亦不存在被查封、冻结的情形；"
        "（三）买卖合同未禁止或限制应收账款转让，债务人对卖方不享有抵销权或其他抗辩；"
        "（四）卖方向保理商提供的全部资料真实、准确、完整。任何一项保证不实的，"
        "保理商有权要求卖方立即偿还全部融资本金、利息及费用。",
    ),
    (
        "融资利息与还款",
        "融资期限{term_months}个月，自{start_date}起至{end_date}止，还款方式为{method_name}："
        "融资利息按名义年利率{nominal_rate_percent}%按月计收，卖方于每期还款日支付当期利息，"
        "融资本金于融资到期日{end_date}一次性偿还，首期还款日为{first_due_date}，"
        "各期金额以所附支付表为准。"
        "融资服务费等费用为人民币{fees}元；按内部收益率法（IRR）计算并计入各项费用的"
        "年化利率为{annualised_rate_percent}%。",
    ),
    (
        "回款账户与清偿",
        "债务人支付的标的应收账款款项应付至保理商指定的收款账户。保理商收到款项后，"
        "按逾期利息、费用、利息、本金的顺序清偿卖方在本合同项下的全部应付款项，"
        "尚未到期的部分按本合同“提前还款”条款提前清偿；清偿后仍有剩余的，"
        "于五个工作日内退还卖方。债务人将款项付至卖方的，"
        "卖方应于收款后一个工作日内将其全额划转至保理商指定的收款账户，划转前不得挪用。",
    ),
    (
        "追索权",
        "本合同项下的融资为有追索权的应收账款融资。债务人于到期日{asset_due_date}未足额付款，"
        "或对标的应收账款提出抗辩、抵销，或发生破产、解散等不能付款情形的，保理商有权向卖方追索，"
        "卖方应于收到保理商通知后五个工作日内回购标的应收账款，即支付未获清偿的全部融资本金、利息、"
        "费用及逾期利息；保理商亦有权向债务人主张权利。卖方付清上述款项后，"
        "标的应收账款及其从权利转回卖方。",
    ),
    (
        "违约责任",
        "卖方未按期支付任何款项的，应就逾期金额自逾期之日起按日万分之五支付逾期利息。"
        "卖方违反陈述与保证、挪用回款、将标的应收账款重复转让或质押，或有其他严重违约行为的，"
        "保理商有权宣布融资提前到期，要求卖方立即偿还全部融资本金、利息、费用及逾期利息，"
        "并承担保理商为实现债权支出的诉讼费、律师费等合理费用。",
    ),
    (
        "提前还款",
        "卖方可在任一还款日提前偿还全部融资，应提前五个工作日书面通知保理商；"
        "提前还款金额为未偿融资本金、截至还款日的应付利息及逾期款项。",
    ),
    _HANDLING_SHOP,
    *_GENERAL,
)

FREIGHT_ADVANCE_TITLE = "运费垫付融资合同"
FREIGHT_ADVANCE_ROLES = {"lessor": "垫付方", "lessee": "承运人", "dealer": "经办机构"}
FREIGHT_ADVANCE: tuple[ClauseData, ...] = (
    (
        "垫付标的",
        "承运人{lessee_name}受托运人{counterparty_name}（统一社会信用代码{counterparty_uscc}）委托，"
        "完成运单{asset_document}项下的运输（线路：{route}），货物已于{asset_issued_on}经收货人签收，"
        "承运人据此对托运人享有运费应收款人民币{asset_amount}元，运费结算日为{asset_due_date}。"
        "垫付方{lessor_name}应承运人申请垫付运费人民币{principal}元。",
    ),
    (
        "承运人的保证",
        "承运人保证：（一）上述运输真实发生，货物已完好交付并经收货人在运单或签收单上签收，"
        "不存在可能导致托运人拒付或扣减运费的货损、货差、延误等争议；"
        "（二）运单、签收单及运输合同真实、完整，运费金额与运输合同的约定一致；"
        "（三）运费应收款未转让、质押予任何第三方，托运人对承运人不享有抵销权。"
        "承运人应将签收单原件或其电子凭证交垫付方核验。任何一项保证不实的，"
        "垫付方有权要求承运人立即偿还全部垫付款项、利息及费用。",
    ),
    (
        "托运人的付款义务",
        "依照运输合同，托运人应于运费结算日{asset_due_date}支付上述运费。"
        "承运人应于本合同生效后三个工作日内取得托运人对运费金额及付款义务的书面确认，"
        "并书面通知托运人将运费付至垫付方指定的收款账户。"
        "未经垫付方书面同意，承运人不得与托运人变更运费金额、结算日或减免运费。",
    ),
    (
        "运费应收款质押",
        "承运人以上述运费应收款向垫付方出质，担保本合同项下全部应付款项的清偿。"
        "双方应于本合同生效后在中国人民银行征信中心动产融资统一登记公示系统办理质押登记，"
        "质权自登记时设立。出质后，未经垫付方书面同意，承运人不得转让该运费应收款。",
    ),
    (
        "利息与还款",
        "垫付期限{term_months}个月，自{start_date}起至{end_date}止，还款方式为{method_name}："
        "垫付利息按名义年利率{nominal_rate_percent}%按月计收，承运人于每期还款日支付当期利息，"
        "首期还款日为{first_due_date}；垫付本金以托运人于运费结算日支付的运费偿还，"
        "最迟于{end_date}付清，各期金额以所附支付表为准。垫付方收到运费后，"
        "按逾期利息、费用、利息、本金的顺序清偿，尚未到期的部分按本合同“提前还款”条款"
        "提前清偿，剩余部分于五个工作日内退还承运人。"
        "服务费等费用为人民币{fees}元；按内部收益率法（IRR）计算并计入各项费用的"
        "年化利率为{annualised_rate_percent}%。",
    ),
    (
        "追索",
        "托运人未于运费结算日足额支付运费，或以货损、货差、延误等为由拒付、扣减运费的，"
        "垫付方有权要求承运人于收到通知后五个工作日内偿还未获清偿的全部垫付本金、利息、费用及"
        "逾期利息，并有权就质押的运费应收款优先受偿。托运人将运费付至承运人的，"
        "承运人应于收款后一个工作日内将其全额划转至垫付方指定的收款账户，划转前不得挪用。",
    ),
    (
        "违约责任",
        "承运人未按期支付任何款项的，应就逾期金额自逾期之日起按日万分之五支付逾期利息。"
        "承运人违反保证、挪用运费、将运费应收款重复转让或质押，或有其他严重违约行为的，"
        "垫付方有权宣布垫付款项提前到期，要求承运人立即偿还全部垫付本金、利息、费用及逾期利息，"
        "并承担垫付方为实现债权支出的诉讼费、律师费等合理费用。",
    ),
    (
        "提前还款",
        "承运人可在任一还款日提前偿还全部垫付款项，应提前五个工作日书面通知垫付方；"
        "提前还款金额为未偿垫付本金、截至还款日的应付利息及逾期款项。",
    ),
    _HANDLING_SHOP,
    *_GENERAL,
)

CHARGING_PILE_TITLE = "充电桩设备融资租赁合同"
CHARGING_PILE_ROLES = {"dealer": "出卖人（设备供应商）"}
CHARGING_PILE_DIRECT_LEASE: tuple[ClauseData, ...] = (
    (
        "租赁物及租赁方式",
        "本合同为直租。承租人{lessee_name}自行选定出卖人{dealer_name}及租赁物：{model}共"
        "{equipment_count}台，设备价款人民币{asset_amount}元，各台设备的序列号见本合同“融资标的”"
        "部分所列的设备清单（为本合同的组成部分）。出租人{lessor_name}根据承租人的选择"
        "向出卖人购买租赁物，并出租给承租人使用，承租人按本合同约定支付租金。"
        "承租人确认租赁物及出卖人系其自主选择，"
        "出租人对租赁物的质量、性能及是否适合承租人的使用目的不承担责任。",
    ),
    (
        "交付、安装与验收",
        "租赁物由出卖人运至安装地点并安装调试。承租人应于安装调试完成后验收，"
        "并签署载明各台设备序列号的验收确认书；承租人签署验收确认书或将租赁物投入运营的，"
        "视为租赁物已按约交付。租赁物存在质量问题的，承租人可依据买卖合同直接向出卖人主张权利，"
        "但不得因此拒付或迟付租金。",
    ),
)
CHARGING_PILE_SALE_LEASEBACK: tuple[ClauseData, ...] = (
    (
        "租赁物的转让与回租",
        "本合同为售后回租。承租人{lessee_name}将其合法所有的租赁物：{model}共{equipment_count}台"
        "（序列号见本合同“融资标的”部分所列的设备清单）以人民币{principal}元的价格转让给出租人"
        "{lessor_name}，并自出租人手中租回使用。出租人支付转让价款之日，租赁物的所有权转移至出租人；"
        "租赁物仍由承租人在安装地点占有和使用（占有改定），不另行交付。",
    ),
    (
        "承租人的保证",
        "承租人保证其对租赁物享有完整的所有权，已付清设备价款，租赁物未设定抵押、质押、"
        "所有权保留或其他权利负担，亦不存在查封、扣押等情形，并应将购置发票及买卖合同交出租人留存。",
    ),
)
CHARGING_PILE: tuple[ClauseData, ...] = (
    (
        "所有权",
        "租赁期内租赁物的所有权归出租人，承租人仅享有占有和使用的权利。"
        "出租人有权在中国人民银行征信中心动产融资统一登记公示系统办理融资租赁登记，"
        "并在每台设备的显著位置设置所有权标识，承租人不得遮挡或损毁。"
        "未经出租人书面同意，承租人不得转让、转租、出质、抵押或以其他方式处分租赁物，"
        "亦不得使租赁物与场地设施结合而丧失独立性。",
    ),
    (
        "安装地点",
        "租赁物安装于{site_address}。承租人应保证在租赁期内对安装场地享有合法、持续的使用权，"
        "并自行办理电力接入、报装及消防等手续；未经出租人书面同意，"
        "承租人不得将租赁物拆除或迁离安装地点。出租人有权在合理时间内进入场地查验租赁物。",
    ),
    (
        "租金及支付",
        "融资金额为人民币{principal}元，租赁期限{term_months}个月，自{start_date}起算，"
        "还款方式为{method_name}。每期租金为人民币{monthly_payment}元（以所附租金支付表为准），"
        "租金总额为人民币{total_payment}元，其中租赁利息人民币{total_interest}元；"
        "手续费等费用人民币{fees}元。名义年利率为{nominal_rate_percent}%，"
        "按内部收益率法（IRR）计算并计入各项费用的年化利率为{annualised_rate_percent}%。"
        "承租人应于各期还款日前将租金足额存入约定的还款账户，首期还款日为{first_due_date}，"
        "末期还款日为{end_date}。",
    ),
    (
        "电费分账",
        "本合同的租金由保底租金和可变租金组成。所附租金支付表所列各期租金为保底租金，"
        "无论租赁物的运营收入多少，承租人均应按期足额支付。承租人应于每个自然月结束后"
        "{revenue_report_due_days}日内，向出租人报送该月租赁物产生的充电电费收入，"
        "并附充电运营平台的结算数据；出租人有权核对运营平台数据及电费结算凭证。"
        "当月租金为当月电费收入的{revenue_share_percent}%与当月保底租金中的较高者，"
        "超出保底租金的部分为可变租金，计入报送后首个还款日的应付款项一并支付。"
        "报送有误的，承租人可在该月可变租金支付前更正。承租人逾期未报送的，"
        "当月先按保底租金收取，出租人有权催告及核查；承租人瞒报、少报电费收入的，"
        "应补足少付的可变租金，并就少付金额按日万分之五支付违约金。",
        "revenue_share",
    ),
    (
        "首付款及保证金",
        "承租人应于签署本合同时支付首付款人民币{down_payment}元及保证金人民币{deposit}元。"
        "保证金不计利息，用于担保承租人履行本合同项下的全部义务；"
        "承租人按约履行完毕全部义务的，出租人于租赁期满后无息退还或按约抵扣末期租金。",
    ),
    (
        "设备的使用与维护",
        "承租人应按照设备说明书及国家有关电动汽车充电设施的技术标准和安全规范使用租赁物，"
        "自行承担租赁物的日常运维、检修、软件升级及电费、场地费和税费，使租赁物保持良好的运营状态；"
        "租赁物发生故障或安全事故的，承租人应及时修复并通知出租人。"
        "未经出租人书面同意，承租人不得改装租赁物或更换其主要部件。"
        "租赁期内租赁物毁损、灭失的风险由承租人承担，承租人不得因此免除支付租金的义务。",
    ),
    (
        "保险",
        "租赁期内承租人应以租赁物为标的投保财产一切险（保障火灾、雷击、暴雨、盗抢等风险），"
        "保险金额不低于设备价款人民币{asset_amount}元，并指定出租人为第一受益人；"
        "同时投保公众责任险。保险期间应覆盖整个租赁期，承租人应按期续保并将保单交出租人留存；"
        "承租人未按约投保的，出租人有权代为投保，保险费由承租人承担。",
    ),
    (
        "违约责任",
        "承租人逾期支付租金的，应就逾期金额自逾期之日起按日万分之五支付罚息。"
        "承租人逾期支付任何一期租金超过六十日、擅自处分租赁物或将其迁离安装地点，"
        "或有其他严重违约行为的，出租人有权宣布全部未付租金提前到期，"
        "要求承租人支付全部未付租金、罚息及其他应付款项，或解除本合同并取回租赁物，"
        "拆除及运输费用由承租人承担；取回的租赁物价值不足以清偿上述款项的，承租人应补足差额。",
    ),
    (
        "提前结清",
        "承租人可在任一还款日申请提前结清，应提前十日书面通知出租人。"
        "提前结清金额为全部未付本金、截至结清日的应付利息、逾期款项及约定的提前结清费用，"
        "出租人应出具载明各项金额及有效期的结清报价。承租人按报价付清后，本合同项下的租金义务终止。",
    ),
    (
        "租赁期满的处理",
        "承租人应于租赁期满前三十日书面选择留购或返还租赁物，未选择的视为留购。"
        "选择留购的，承租人付清全部款项后以人民币一百元的名义价款留购租赁物，"
        "出租人应于十五日内出具所有权转移证明并注销融资租赁登记；"
        "选择返还的，承租人应于期满后三十日内自费拆除租赁物、恢复安装场地，"
        "并将处于正常损耗外良好状态的租赁物交付至出租人指定地点。",
    ),
    *_GENERAL,
)
