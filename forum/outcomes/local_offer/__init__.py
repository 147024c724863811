"""The Local Offer feedback report (SEND Regulations 2014, regulation 56): a printable page, CSV
and JSON, from the published ledger only."""
