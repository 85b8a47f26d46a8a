"""Gift cards: bought for a clinic, paid in full through the payment provider,
e-mailed to the recipient on the chosen day, spent on that clinic's deposits.

- ``codes``: making codes, their hash (only that is stored), the grouped form
- ``ledger``: every change of a card's value as a row; locks; the balance is the sum
- ``purchase``: starting and paying a purchase, settling what the provider says
- ``delivery``: sending cards on their day (one host wins each), expiring them
- ``notices``: the receipt and the recipient's e-mail
- ``reports``: the buyer's cards; a clinic's sales, redemptions and what is outstanding
- ``reconcile``: purchases whose outcome a request never saw

Spending a card on a deposit is part of the booking flow: ``booking/gift_cards.py``.
README.md beside this file has the rules and guarantees.
"""
