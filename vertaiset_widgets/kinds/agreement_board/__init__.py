"""Agreement board: the questions to agree on, edited live by the facilitator."""
from .. import Kind, register

KIND = register(Kind(
    name="agreement_board",
    model=f"{__name__}.model:AgreementBoard",
    panel=f"{__name__}.panel:BoardPanel",
    results=f"{__name__}.results:BoardResults",
    tables=f"{__name__}.export:board_rows",
    tools=f"{__name__}.tools:BoardTools",
    demo=f"{__name__}.demo",
))
