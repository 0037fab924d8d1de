"""The access table's outcome names (see tests/functional/test_access_matrix.py)."""

OK, BAD, UN, NO, NF = 200, 400, 401, 403, 404
FINAL = 409  # a change to a final committee report
IN = "sign-in"  # 302 to the sign-in page
GO = "redirect"  # 302 anywhere else
