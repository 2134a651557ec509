"""Tables named for people (reports/tables.py) from the scores of a stored demo assessment."""

from pmostep import services
from pmostep.planning import scoring
from pmostep.reports import tables


def test_statement_spread_and_disagreements(q, con):
    a = services.load_demo(con, q)
    whole = scoring.score(con, a, q).whole
    names = {d.id: d.name for d in q.dimensions}
    values, texts = tables.statement_spread(whole.statements, names)
    assert list(values.index)[:2] == ["Methodology and standards", "Governance and sponsorship"]
    assert list(values.columns) == ["Statement 1", "Statement 2", "Statement 3", "Statement 4"]
    assert texts.loc["Governance and sponsorship", "Statement 1"].startswith("Every project above a set size")
    topics = tables.disagreements(whole.statements, names)
    assert len(topics) >= 1 and (topics["IQR"] >= 1.5).all()       # the demo's polarised statements
