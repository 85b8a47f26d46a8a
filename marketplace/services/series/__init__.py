"""Treatment series: a clinic offers N sessions of one service at a price below N
single visits; a client pays for it in full through the payment provider, then books
its sessions one at a time or the whole course at once. A booking a session pays for
needs no deposit.

- ``offers``: the owner's offers (create, edit, retire) and their rules in plain words
- ``purchase``: buying one (the deposit's payment guarantees, 3-D Secure), settling
- ``sessions``: sessions counted from the series' bookings; drawing one (a row lock)
- ``course``: planning and holding the remaining sessions at once, all or nothing
- ``refunds``: refunding unused sessions under the stored rule, through the provider
- ``events``: webhook events about series purchases (others go to ``booking``)
- ``reconcile``: purchases no request saw settle, refunds still owed (reconcile-payments)
- ``reports``: the client's series; a clinic's sales, sessions used and liability
- ``notices``: the receipt and the refund e-mail

README.md beside this file has the rules and guarantees.
"""
