"""Property fees (物业费), after the fee module of HC小区管理系统 (java110/MicroCommunity
`service-fee/`): a versioned schedule (area × unit price), bills per household and period,
payments recorded by the office with gap-free receipts, reversals instead of edits, offers
("pay 12 months, 2 free", a gift with a full year), hardship reductions, arrears and reminders,
and the collection rate.

Modules: money (fen, yuan, Chinese capitals), periods, schedule, billing, payments, receipts
(numbers and the printable receipt), discounts (offers, reductions, the gift), arrears,
collection_rate, resident (我的物业费), check (fees-check), demo.
"""
