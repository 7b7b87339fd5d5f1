"""The annual report (`rutinportal report --year Y`): its figures, taken from the dashboard's
own functions at the year's end and each quarter's end (`as_of`, `figures`), the content and
decision figures of the catalogue, and the writers (Markdown, XLSX, charts as PNG and SVG)."""
