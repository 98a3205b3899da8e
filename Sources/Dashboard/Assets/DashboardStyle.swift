/// The dashboard's stylesheet, served at /assets/dashboard.css (no CDN, no web fonts).
enum DashboardStyle {
    static let css = #"""
    :root { --bg: #f6f7f9; --fg: #1d2430; --muted: #6b7686; --line: #d9dee6; --card: #fff;
            --queued: #c9ced6; --rendering: #f0b429; --stored: #4c9aff; --stitched: #2f9e5b; --failed: #d64545; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; background: var(--bg); color: var(--fg); }
    header { display: flex; gap: 1.5em; align-items: baseline; padding: .7em 1.5em; background: #1d2430; color: #fff; }
    header a { color: #cfd8e6; text-decoration: none; } header a:hover { color: #fff; }
    header .brand { font-weight: 700; color: #fff; }
    main { padding: 1em 1.5em; max-width: 1400px; }
    h1 { font-size: 1.3em; margin: .2em 0 .6em; } h2 { font-size: 1em; margin: 0 0 .5em; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
    .card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .9em 1em; margin-bottom: 1em; }
    .bar { height: 22px; background: var(--queued); border-radius: 4px; overflow: hidden; }
    .bar > div { height: 100%; background: var(--stitched); transition: width .4s; }
    .figures { display: flex; flex-wrap: wrap; gap: 1.6em; margin-top: .5em; color: var(--muted); }
    .figures b { color: var(--fg); }
    .state { display: inline-block; padding: 0 .5em; border-radius: 3px; background: var(--queued); font-size: .9em; }
    .state.running, .state.busy, .state.rendering { background: var(--rendering); }
    .state.done, .state.sealed { background: var(--stitched); color: #fff; } .state.delivered { background: var(--stored); color: #fff; }
    .state.failed, .state.cancelled { background: var(--failed); color: #fff; } .state.paused { background: #9aa5b1; color: #fff; }
    canvas.strip { width: 100%; height: 46px; display: block; }
    .legend { display: flex; gap: 1.2em; margin-top: .4em; color: var(--muted); font-size: .9em; }
    .legend i { display: inline-block; width: .9em; height: .9em; border-radius: 2px; margin-right: .3em; vertical-align: -1px; }
    .previews { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
    .previews figure { margin: 0; } .previews img { width: 100%; background: #e4e7ec; border-radius: 4px; min-height: 80px; display: block; }
    figcaption { color: var(--muted); margin-top: .3em; }
    .row { display: grid; grid-template-columns: 2fr 1fr; gap: 1em; }
    table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .25em .6em; border-bottom: 1px solid var(--line); white-space: nowrap; }
    th { color: var(--muted); font-weight: 600; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    .events { max-height: 260px; overflow-y: auto; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85em; }
    .events div { padding: .1em 0; border-bottom: 1px dotted var(--line); white-space: pre-wrap; }
    .events .kind { color: var(--muted); }
    .controls { display: flex; flex-wrap: wrap; gap: .5em; align-items: center; }
    button { font: inherit; padding: .3em .9em; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
    button:hover { background: #eef1f5; } input { font: inherit; padding: .25em .4em; border: 1px solid var(--line); border-radius: 4px; }
    .note { color: var(--muted); } .error { color: var(--failed); }
    a { color: #2563c9; }
    """#
}
