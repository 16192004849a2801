"""Askelten arviointi (rating the steps): the wall's concrete steps rated agree / disagree /
pass on phones; the majority, the uncertain and the consensus across sectors; the steps the
facilitator promotes for the network's next round."""
from .. import Kind, register

KIND = register(Kind(
    name="step_vote",
    model=f"{__name__}.model:StepVote",
    panel=f"{__name__}.panel:StepVotePanel",
    results=f"{__name__}.results:StepVoteResults",
    tables=f"{__name__}.export:promoted_rows",
    tools=f"{__name__}.tools:StepVoteTools",
    demo=f"{__name__}.demo",
))
