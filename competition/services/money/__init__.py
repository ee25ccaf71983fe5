"""Money: subsidy claims and the season budget that approvals must stay within."""
