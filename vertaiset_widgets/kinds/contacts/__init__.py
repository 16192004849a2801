"""Yhteystietolista ja roolit (the network's contact list with roles): one entry per person, stored
only with consent, checked for being up to date, withdrawn with one button."""
from .. import Kind, register

KIND = register(Kind(
    name="contacts",
    model=f"{__name__}.model:Contacts",
    panel=f"{__name__}.panel:ContactsPanel",
    results=f"{__name__}.results:ContactsResults",
    demo=f"{__name__}.demo",
    files={
        "vcf": (f"{__name__}.export:vcards", "vcf"),
        "contacts-csv": (f"{__name__}.export:contacts_csv", "csv"),
        "contacts-xlsx": (f"{__name__}.export:contacts_xlsx", "xlsx"),
    },
))
