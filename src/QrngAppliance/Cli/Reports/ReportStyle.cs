namespace QrngAppliance.Cli.Reports;

/// <summary>The report's stylesheet, inlined so the file stands alone: a calm palette, readable on a laptop and a phone.</summary>
internal static class ReportStyle
{
    public const string Css =
        """
        :root { --ink: #1f2a37; --muted: #5b6b7c; --line: #d9e0e7; --paper: #f7f9fb; --card: #ffffff;
                --accent: #3b6ea5; --pass: #2f7d4f; --fail: #b23b3b; --warn: #c07a1c; --violet: #6b4fa0; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--paper); color: var(--ink);
               font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1040px; margin: 0 auto; padding: 24px 16px 48px; }
        h1 { font-size: 1.6rem; margin: 0 0 4px; }
        h2 { font-size: 1.15rem; margin: 0 0 8px; }
        p { margin: 6px 0 12px; color: var(--muted); }
        .file { font-family: ui-monospace, "DejaVu Sans Mono", monospace; word-break: break-all; }
        section, header { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; margin: 16px 0; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 12px; }
        .tile { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
        .tile .label { font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
        .tile .value { font-size: 1.35rem; font-variant-numeric: tabular-nums; }
        .tile .note { font-size: .8rem; color: var(--muted); }
        table { border-collapse: collapse; width: 100%; margin: 12px 0; font-variant-numeric: tabular-nums; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); }
        th { font-size: .8rem; color: var(--muted); font-weight: 600; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0 0; }
        dt { color: var(--muted); } dd { margin: 0; font-variant-numeric: tabular-nums; }
        .pass { color: var(--pass); font-weight: 600; } .fail { color: var(--fail); font-weight: 600; }
        .verdict { font-size: 1.05rem; color: var(--ink); }
        details summary { cursor: pointer; color: var(--accent); margin-top: 8px; }
        footer { color: var(--muted); font-size: .8rem; text-align: center; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em; }
        svg { width: 100%; height: auto; display: block; margin: 8px 0; }
        svg text { font-size: 12px; fill: var(--muted); } svg .axis-label { font-size: 13px; fill: var(--ink); }
        svg .grid { stroke: var(--line); stroke-width: 1; }
        svg .bar { fill: var(--accent); opacity: .85; }
        svg .trace { fill: none; stroke: var(--accent); stroke-width: 1.5; }
        svg .ref-uniform { stroke: var(--ink); stroke-dasharray: 6 4; stroke-width: 1.2; }
        svg .ref-claimed { stroke: var(--warn); stroke-width: 2; stroke-dasharray: 8 4; }
        svg .ref-assessed { stroke: var(--pass); stroke-width: 2; }
        svg .ref-floor { stroke: var(--fail); stroke-width: 1.5; stroke-dasharray: 3 3; }
        svg .mark-rct { stroke: var(--fail); stroke-width: 1.5; } svg .mark-apt { stroke: var(--warn); stroke-width: 1.5; }
        svg .mark-estimate { stroke: var(--violet); stroke-width: 1.5; }
        .legend { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: .85rem; color: var(--muted); }
        .swatch { display: inline-block; width: 18px; height: 0; border-top: 3px solid var(--accent); vertical-align: middle; margin-right: 6px; }
        .swatch.ref-claimed { border-top: 3px dashed var(--warn); } .swatch.ref-assessed { border-color: var(--pass); }
        .swatch.ref-floor { border-top: 3px dotted var(--fail); } .swatch.mark-rct { border-color: var(--fail); }
        .swatch.mark-apt { border-color: var(--warn); } .swatch.mark-estimate { border-color: var(--violet); }
        @media (max-width: 600px) { main { padding: 12px 8px; } section, header { padding: 12px; } dl { grid-template-columns: 1fr; } }
        """;
}
