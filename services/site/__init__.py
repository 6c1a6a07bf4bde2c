"""The published site: the verified figures and the open data as static files.

`content` reads what is published (verified cases only, through the public export's
rows), `figures_list` names every figure once, `page`, `feed` and `open_data` write the
files, `output` swaps a finished build into place, `build` ties them together and
`keeper` rebuilds after verified changes. No module here imports `telegram.ext`.
"""
