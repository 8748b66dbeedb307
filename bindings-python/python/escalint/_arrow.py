"""The Arrow answers, flattened; and the module-level Arrow functions on the default engine.

``Engine.validate_arrow`` (and ``next_steps_arrow``, ``can_close_arrow``) are native: they
judge a column of JSON texts on every core and build the answer table in Rust. What is here
only reshapes such a table with pyarrow's own vectorised kernels (no Python object per row).
pyarrow is imported when these are called, so ``import escalint`` works without it.
"""

from ._escalint import Engine

_INSTALL = "pip install 'escalint[arrow]'"


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.compute
    except ImportError as e:  # pragma: no cover - exercised only without pyarrow
        raise ImportError(f"the Arrow answers need pyarrow ({e}); install it with {_INSTALL}") from e
    return pyarrow


def validate_arrow(data, column="case", now=None):
    """``Engine.validate_arrow`` with the embedded policy."""
    return Engine().validate_arrow(data, column=column, now=now)


def next_steps_arrow(data, column="case", now=None):
    """``Engine.next_steps_arrow`` with the embedded policy."""
    return Engine().next_steps_arrow(data, column=column, now=now)


def can_close_arrow(data, column="case", proposal_column=None, now=None):
    """``Engine.can_close_arrow`` with the embedded policy."""
    return Engine().can_close_arrow(data, column=column, proposal_column=proposal_column, now=now)


def explode_violations(table, column="violations"):
    """One row per violation: ``id`` and the violation's fields (``rule, severity, path,
    message, sop, hint``), in table order, cases without violations left out.

    ``table``: an answer of ``validate_arrow``, ``next_steps_arrow`` or ``can_close_arrow``
    (or anything pyarrow reads as a table with ``id`` and a ``column`` of lists of structs).
    """
    pa = _pyarrow()
    pc = pa.compute
    if not isinstance(table, pa.Table):
        table = pa.table(table)
    for name in ("id", column):
        if name not in table.column_names:
            raise KeyError(f"explode_violations: the table has no column {name!r}; its columns are: "
                           + ", ".join(table.column_names))
    lists = table.column(column)
    if not pa.types.is_list(lists.type) or not pa.types.is_struct(lists.type.value_type):
        raise TypeError(f"explode_violations: column {column!r} has type {lists.type}; expected a list of structs "
                        "(the violations column of an Arrow answer)")
    items = pc.list_flatten(lists)
    ids = pc.take(table.column("id"), pc.list_parent_indices(lists))
    fields = items.type
    columns = {"id": ids}
    for i in range(fields.num_fields):
        columns[fields.field(i).name] = pc.struct_field(items, [i])
    return pa.table(columns)
