"""Status pages and portfolio reports as PDF, drawn by ReportLab from frozen snapshots."""
