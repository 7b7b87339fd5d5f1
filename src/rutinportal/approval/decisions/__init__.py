"""The decision pack (*beslutsunderlag*): what a body needs to decide the documents waiting
for it. `pack` chooses the documents and gathers the facts, `facts` says what else changes,
`render` draws the HTML (whole pack, or one document for the portal), `preview` renders a
working copy's text, `pdf` (the only user of WeasyPrint) prints it to a tagged PDF."""
