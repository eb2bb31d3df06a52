"""Fuzzing the column mapping (issue 13, part 7): any header and rows map without a crash."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from teleprospect.core.column_mapping import (
    ColumnMapping,
    ColumnTarget,
    LeadField,
    PhoneLabel,
    apply_mapping,
    suggest_mapping,
)

_NAMES = st.sampled_from(
    ["First Name", "Last Name", "Name", "Email", "E-mail", "Phone", "Mobile", "Company",
     "Company Size", "Employees", "Country", "Title", "Industry", "Source", "", " ", "Phone 2"]
)  # fmt: skip
_HEADERS = st.lists(st.one_of(_NAMES, st.text(max_size=20)), max_size=12)
_TARGETS = st.one_of(
    st.sampled_from([f for f in LeadField if f is not LeadField.PHONE]).map(ColumnTarget),
    st.sampled_from(list(PhoneLabel)).map(lambda label: ColumnTarget(LeadField.PHONE, label)),
)
_VALUES = st.one_of(
    st.sampled_from(
        ["", " ", "jane@example.com", "+1 212 736 5000", "51-200", "Germany", "DE", "[1,2]",
         '["+1 212 736 5000", null]', "030/1234567", "Dr. Jane Doe", "10k+", "1e9999"]
    ),
    st.text(max_size=30),
)  # fmt: skip


@settings(max_examples=300)
@given(headers=_HEADERS, saved=st.none() | st.dictionaries(st.text(max_size=10), _TARGETS))
@example(headers=["Name", "Name"], saved=None)
@example(headers=[], saved={})
def test_any_header_gets_a_mapping(
    headers: list[str], saved: dict[str, ColumnTarget] | None
) -> None:
    saved_mapping = ColumnMapping(saved) if saved is not None else None
    mapping = suggest_mapping(headers, saved_mapping)
    assert set(mapping.columns) == set(headers)
    assert ColumnMapping.from_dict(mapping.to_dict()) == mapping


@settings(max_examples=300)
@given(data=st.data(), headers=_HEADERS, rows=st.lists(st.lists(_VALUES, max_size=14), max_size=4))
@example(data=None, headers=["Phone"], rows=[["[1, {}]"]])
def test_any_rows_map_to_leads(
    data: st.DataObject | None, headers: list[str], rows: list[list[str]]
) -> None:
    header = tuple(dict.fromkeys(headers))  # a read file's header is unique
    mapping = suggest_mapping(header)
    if data is not None:
        for column in header:
            if data.draw(st.booleans(), label=f"retarget {column!r}"):
                mapping = mapping.with_target(column, data.draw(_TARGETS))
    plan = mapping.compile(header)
    for cells in rows:
        cells = cells + [""] * (len(header) - len(cells))  # the reader pads short rows
        lead = plan.apply(cells)
        assert all(isinstance(value, str) for value in lead.extras.values())
        apply_mapping(mapping, dict(zip(header, cells, strict=False)))
