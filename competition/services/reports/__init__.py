"""Season figures: the dashboard, the season report workbook and its money sheets."""
