import GridMapCore

/// The web map's page: a header (title, language switch, account), the map, and a panel of tabs
/// (the clicked grid, search, report a problem, a department's queue, the dashboard, an outreach
/// route, sign-in). The script (``WebMapScript``) fills in every text in the page's language and
/// shows the tabs the viewer's role uses. No inline script or style: the page runs under
/// `Content-Security-Policy: default-src 'self'`.
enum WebMapPage {
    static func html(english: Bool, town: String) -> String {
        let language = english ? "en" : "zh-CN"
        let title = Markup.escape(town) + (english ? " · GridMap" : " · 网格地图")
        return #"""
        <!DOCTYPE html>
        <html lang="\#(language)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\#(title)</title>
        <link rel="icon" href="/map/assets/icon.svg" type="image/svg+xml">
        <link rel="stylesheet" href="/map/assets/leaflet.css">
        <link rel="stylesheet" href="/map/assets/gridmap.css">
        <script src="/map/assets/leaflet.js" defer></script>
        <script src="/map/assets/gridmap.js" defer></script>
        </head>
        <body>
        <header id="bar">
          <h1 id="title" data-town="\#(Markup.escape(town))">\#(Markup.escape(town))</h1>
          <span id="who" data-i18n="anonymous"></span>
          <a id="lang-switch" href="?lang=\#(english ? "zh" : "en")" data-i18n="switchLanguage"></a>
        </header>
        <main id="layout">
          <div id="map" role="application"></div>
          <aside id="panel">
            <nav id="tabs" role="tablist">
              <button type="button" role="tab" data-tab="info" data-i18n="tabInfo"></button>
              <button type="button" role="tab" data-tab="search" data-i18n="tabSearch"></button>
              <button type="button" role="tab" data-tab="report" data-i18n="tabReport"></button>
              <button type="button" role="tab" data-tab="queue" data-i18n="tabQueue" data-roles="department office" hidden></button>
              <button type="button" role="tab" data-tab="dashboard" data-i18n="tabDashboard"></button>
              <button type="button" role="tab" data-tab="route" data-i18n="tabRoute" data-roles="grid-worker office" hidden></button>
              <button type="button" role="tab" data-tab="account" data-i18n="tabAccount"></button>
            </nav>
            <p id="status" role="status"></p>
            <section data-panel="info">
              <p data-i18n="infoHint"></p>
              <div id="grid-card"></div>
            </section>
            <section data-panel="search" hidden>
              <form id="search-form">
                <input id="search-text" name="q" required autocomplete="off">
                <select id="search-kind" name="kind">
                  <option value="address" data-i18n="searchAddress"></option>
                  <option value="resident" data-i18n="searchResident" data-roles="grid-worker office" hidden></option>
                </select>
                <button type="submit" data-i18n="search"></button>
              </form>
              <ul id="search-results"></ul>
            </section>
            <section data-panel="report" hidden>
              <p data-i18n="reportHint"></p>
              <form id="report-form">
                <label><span data-i18n="place"></span> <output id="report-place"></output></label>
                <label><span data-i18n="category"></span> <select id="report-category" name="service_code" required></select></label>
                <label><span data-i18n="description"></span> <textarea id="report-description" name="description" rows="3" required></textarea></label>
                <button type="submit" id="report-submit" data-i18n="reportSubmit" disabled></button>
              </form>
              <p id="report-result"></p>
            </section>
            <section data-panel="queue" hidden>
              <button type="button" id="queue-refresh" data-i18n="refresh"></button>
              <div id="queue-list"></div>
            </section>
            <section data-panel="dashboard" hidden>
              <button type="button" id="dashboard-refresh" data-i18n="refresh"></button>
              <div id="dashboard"></div>
            </section>
            <section data-panel="route" hidden>
              <form id="route-form">
                <label><span data-i18n="grid"></span> <input id="route-grid" name="grid" required></label>
                <label><span data-i18n="categories"></span> <input id="route-categories" name="categories" value="elderly-living-alone,disabled"></label>
                <button type="submit" data-i18n="planRoute"></button>
              </form>
              <p id="route-result"></p>
            </section>
            <section data-panel="account" hidden>
              <form id="login-form" method="post" action="/auth/login">
                <label><span data-i18n="accountName"></span> <input id="login-name" name="name" autocomplete="username" required></label>
                <label><span data-i18n="password"></span> <input id="login-password" name="password" type="password" autocomplete="current-password" required></label>
                <input type="hidden" name="next" value="/map/?\#(english ? "lang=en&amp;" : "")signin=ok">
                <button type="submit" data-i18n="signIn"></button>
              </form>
              <p id="login-result" class="overdue" role="alert"></p>
              <div id="signed-in" hidden>
                <p id="signed-in-as"></p>
                <button type="button" id="logout" data-i18n="signOut"></button>
              </div>
            </section>
          </aside>
        </main>
        </body>
        </html>

        """#
    }

}
