"""The funnel's month rows: each month's GMV target with the visitors, CVR and orders that make it, and
the same month a year earlier where the brand's history has it, so a marketer can hold every month
against last year's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planbot.core import budget as B
from planbot.core import customers as CU
from planbot.core.brief import Brief
from planbot.core.history.baselines import same_months_last_year
from planbot.core.kpi import funnel_row
from planbot.core.plan import FunnelRow

if TYPE_CHECKING:
    from planbot.core.sections.figures import Figures


def month_rows(
    brief: Brief, fig: Figures, labels: dict[str, Any], month_uv: list[float], month_camp: list[int]
) -> list[FunnelRow]:
    assert brief.period is not None
    t = fig.t
    rows: list[FunnelRow] = []
    for i, (y, m) in enumerate(fig.months()):
        gmv, uv = fig.month_gmv[i], month_uv[i]
        cvr = gmv / (uv * t.aov) if uv > 0 else t.cvr
        label = str(labels["month_label"]).format(year=y, month=m, month_name=labels["month_names"][m - 1])
        row = funnel_row(B.month_key(y, m), label, t.currency, gmv, t.aov, cvr if gmv > 0 else t.cvr)
        last = None
        if brief.history is not None:
            s, e = B.month_bounds(y, m, brief.period.start, brief.period.end)
            last = same_months_last_year(brief.history, s, e)
        rows.append(row.model_copy(update={"campaign_gmv": month_camp[i], "gmv_last_year": last}))
    splits = CU.split_rows([r.orders for r in rows], fig.month_returning)
    return [
        r.model_copy(update={"new_orders": n, "returning_orders": o}) for r, (n, o) in zip(rows, splits, strict=True)
    ]
