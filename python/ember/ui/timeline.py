"""The event timeline of the jobs and job pages: one bar per job (stage)
from its submission to its completion (or now, while it runs), placed on
a common time axis, in CSS only. Items are (label, start ms, end ms or
None, status, link)."""

from ember.ui import html as h

CSS = """
.timeline { position: relative; border-left: 1px solid #999; border-right: 1px solid #999;
            margin: .5em 0 1.5em; max-width: 60em; }
.timeline .row { position: relative; height: 1.4em; margin: 2px 0; }
.timeline .row a { position: absolute; height: 100%; min-width: 2px; overflow: hidden; white-space: nowrap;
                   font-size: 80%; color: #fff; text-decoration: none; padding-left: 2px; box-sizing: border-box; }
.timeline .SUCCEEDED, .timeline .COMPLETE { background: #27ae60; }
.timeline .FAILED { background: #c0392b; }
.timeline .RUNNING, .timeline .ACTIVE { background: #2980b9; }
.axis { display: flex; justify-content: space-between; font-size: 75%; color: #555; max-width: 60em;
        margin: -1.2em 0 1.5em; }
"""


def timeline(element_id, items, now):
    """The timeline's HTML ("" without items that started)."""
    items = [i for i in items if i[1]]
    if not items:
        return ""
    first = min(i[1] for i in items)
    span = max(max((i[2] or now) for i in items) - first, 1)
    rows = ""
    for label, start, end, status, href in sorted(items, key=lambda i: i[1]):
        left = 100.0 * (start - first) / span
        width = 100.0 * ((end or now) - start) / span
        rows += ('<div class="row"><a class="%s" href="%s" title="%s (%s)" style="left:%.2f%%;width:%.2f%%">'
                 '%s</a></div>' % (h.e(status), h.e(href), h.e(label), h.e(status), left, width, h.e(label)))
    axis = '<div class="axis"><span>%s</span><span>%s</span></div>' % (h.when(first), h.when(first + span))
    return '<h3>Event Timeline</h3><div class="timeline" id="%s">%s</div>%s' % (h.e(element_id), rows, axis)
