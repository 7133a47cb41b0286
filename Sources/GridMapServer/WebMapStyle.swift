/// The web map's style sheet (`/map/assets/gridmap.css`): the map beside a panel on a wide
/// screen, the map above the panel on a phone (up to 640 px wide); code labels that appear as
/// the map zooms in (grids from zoom 13, micro-grids from 15), so that 406 labels do not bury
/// the town at a glance.
enum WebMapStyle {
    static let source = #"""
    * { box-sizing: border-box; }
    html, body { height: 100%; margin: 0; }
    body { display: flex; flex-direction: column; font: 14px/1.4 system-ui, "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; color: #1d2733; background: #f4f6f8; }
    #bar { display: flex; align-items: center; gap: 12px; padding: 6px 12px; background: #1f3f66; color: #fff; flex: 0 0 auto; min-width: 0; }
    #bar h1 { font-size: 17px; margin: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; flex: 1 1 auto; min-width: 0; }
    #who { font-size: 12px; opacity: .85; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 40%; }
    #lang-switch { color: #fff; white-space: nowrap; }
    #layout { flex: 1 1 auto; display: flex; min-height: 0; }
    #map { flex: 1 1 auto; min-width: 0; background: #eef2ea; }
    #panel { flex: 0 0 360px; display: flex; flex-direction: column; overflow-y: auto; background: #fff; border-left: 1px solid #ccd3da; padding: 0 10px 10px; }
    #tabs { display: flex; flex-wrap: wrap; gap: 4px; position: sticky; top: 0; background: #fff; padding: 8px 0 6px; border-bottom: 1px solid #e1e6eb; }
    #tabs button { flex: 0 0 auto; border: 1px solid #ccd3da; background: #f4f6f8; border-radius: 4px; padding: 5px 8px; font: inherit; cursor: pointer; }
    #tabs button[aria-selected="true"] { background: #1f3f66; border-color: #1f3f66; color: #fff; }
    #status { min-height: 1.4em; margin: 6px 0; color: #5a6775; font-size: 12px; }
    #status.error { color: #b3261e; }
    section label { display: block; margin: 6px 0; }
    section input, section select, section textarea { width: 100%; font: inherit; padding: 4px; }
    section button { font: inherit; padding: 5px 10px; margin: 4px 4px 4px 0; cursor: pointer; }
    table { border-collapse: collapse; width: 100%; font-size: 13px; }
    th, td { border-bottom: 1px solid #e1e6eb; text-align: left; padding: 3px 4px; vertical-align: top; }
    #search-results { padding-left: 18px; }
    #search-results li { cursor: pointer; margin: 3px 0; }
    .card h2 { font-size: 16px; margin: 8px 0 4px; }
    .queue-item { border: 1px solid #e1e6eb; border-radius: 4px; padding: 6px; margin: 6px 0; }
    .overdue { color: #b3261e; font-weight: bold; }
    .chart { width: 100%; height: auto; }
    .figure { display: inline-block; margin: 4px 12px 4px 0; }
    .figure b { display: block; font-size: 20px; }

    /* Labels: the codes of grids and micro-grids, as plain text on the map. */
    .gm-label { background: transparent; border: 0; box-shadow: none; padding: 0; font-weight: bold; color: #1f3f66; text-shadow: 0 0 2px #fff, 0 0 2px #fff; }
    .gm-label::before { display: none; }
    .gm-label-grid { font-size: 12px; }
    .gm-label-mg { font-size: 10px; color: #3b6ea5; }
    .gm-zoom-low .gm-label-grid, .gm-zoom-low .gm-label-mg, .gm-zoom-mid .gm-label-mg { display: none; }
    .gm-zoom-high .gm-label-grid { display: none; }
    .leaflet-container { background: #eef2ea; }

    /* A phone: the map above, the panel below, nothing wider than the screen. */
    @media (max-width: 640px) {
      #layout { flex-direction: column; }
      #map { flex: 1 1 55%; min-height: 240px; }
      #panel { flex: 1 1 45%; border-left: 0; border-top: 1px solid #ccd3da; }
      #bar h1 { font-size: 15px; }
    }
    """#
}
