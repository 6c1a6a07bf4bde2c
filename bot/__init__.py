"""Vigía: intake, verification and publication desk for reports of arbitrary detentions."""
