from redressal.domain.codes import CURRENT_VERSION, load_codes


def test_three_axes_with_other_and_hierarchy() -> None:
    table = load_codes()
    assert table.version == CURRENT_VERSION
    for axis in "ABC":
        codes = table.axis(axis)
        assert codes, axis
        assert any(c.code.endswith("99") and c.zh.startswith("其他") for c in codes), axis
    # a middle code's parent exists on the same axis; a parent is not a leaf
    for code in table.codes.values():
        if code.parent:
            assert table.is_valid(code.axis, code.parent)
    leaves = {c.code for c in table.leaves("B")}
    assert "B0302" in leaves and "B03" not in leaves
    assert table.get("B0302") is not None and table.get("B0302").label("en") == "Credit card"  # type: ignore[union-attr]
    assert not table.is_valid("B", "C01")
