/// The web map's script (`/map/assets/gridmap.js`): plain JavaScript over Leaflet, no build step,
/// no framework. It reads the town's layers from OGC API – Features (`/collections/{id}/items`,
/// following `next` links), signs in through `/auth/login` (the session cookie is HttpOnly; the
/// login's `csrf` value is kept in the tab's sessionStorage and sent as `X-CSRF-Token` with every
/// write), reports problems through Open311 (`/open311/v2/requests.json`), and reads the events
/// API for a department's queue and the dashboard. Every text the data brings is put into the
/// page as text (never as HTML). Everything it shows is what the server answered for the
/// signed-in viewer: the page hides tabs a role does not use, but decides nothing about data.
enum WebMapScript {
    static let source = #"""
    'use strict';
    (function () {
      // ---- Language: Chinese by default, English with ?lang=en ----
      const TEXT = {
        zh: {
          anonymous: '未登录（公众）', switchLanguage: 'English', tabInfo: '网格', tabSearch: '搜索', tabReport: '上报',
          tabQueue: '待办', tabDashboard: '看板', tabRoute: '走访路线', tabAccount: '登录',
          infoHint: '点击地图上的微网格，查看其网格团队和统计。', searchAddress: '地址', searchResident: '居民', search: '搜索',
          reportHint: '点击地图选择问题地点，再选择类别并描述问题。', place: '地点', category: '类别', description: '描述',
          reportSubmit: '上报', refresh: '刷新', grid: '网格', categories: '居民类别（逗号分隔）', planRoute: '规划路线',
          accountName: '账号', password: '密码', signIn: '登录', signOut: '退出登录',
          loading: '正在加载…', loaded: '已加载', failed: '加载失败', noResults: '没有结果', clickMapFirst: '请先点击地图选择地点',
          microGrids: '微网格', grids: '网格', roads: '道路', water: '水系', wells: '水井', services: '服务点', homes: '房屋',
          events: '事件', route: '走访路线', village: '行政村', microGridList: '微网格', features: '要素', residents: '居民',
          team: '网格团队', role: '职责', name: '姓名', unit: '单位', phone: '电话', count: '人数',
          chief: '网格长', liaison: '民情联络员', functional: '专职力量', volunteer: '志愿者',
          'party-member': '党员', veteran: '退役军人', disabled: '残疾人', 'elderly-living-alone': '独居老人',
          'left-behind-child': '留守儿童', 'low-income': '低收入',
          raised: '已上报', 'handled-by-grid': '网格办理', whistled: '已吹哨', 'awaiting-verification': '待核实', verified: '已核实', closed: '已办结',
          reported: '已上报，编号', handledBy: '处理网格', reportIn: '报到', resolve: '办结', deadline: '期限', overdue: '已超期',
          state: '状态', queueEmpty: '没有待办事件', stops: '走访户数', signedInAs: '已登录', office: '镇办', department: '部门',
          'grid-worker': '网格员', resident: '居民', signedOut: '已退出登录', wrongRole: '此功能需要相应角色',
          townFigures: '全镇', chart: '事件统计图', report_in_due: '报到期限', resolution_due: '办结期限', next_due: '下一期限',
          collected: '收集事件', dispatches: '派单', reported_in: '已报到', resolved: '已办结', overdue_now: '当前超期',
          sent_back: '退回', escalations: '升级', satisfied: '满意', report_in_rate: '报到率', resolution_rate: '办结率',
          on_time_report_in_rate: '按时报到率', on_time_resolution_rate: '按时办结率', satisfaction_rate: '满意率',
          reported_in_on_time: '按时报到', resolved_on_time: '按时办结', group: '范围',
          'awaiting-report-in': '待报到', handling: '办理中', signInFailed: '账号或密码错误', signInThrottled: '登录失败次数过多，请稍后再试',
        },
        en: {
          anonymous: 'Not signed in (public)', switchLanguage: '中文', tabInfo: 'Grid', tabSearch: 'Search', tabReport: 'Report',
          tabQueue: 'Queue', tabDashboard: 'Dashboard', tabRoute: 'Outreach route', tabAccount: 'Sign in',
          infoHint: 'Click a micro-grid on the map for its grid team and counts.', searchAddress: 'Address', searchResident: 'Resident', search: 'Search',
          reportHint: 'Click the map where the problem is, then choose a category and describe it.', place: 'Place', category: 'Category', description: 'Description',
          reportSubmit: 'Report', refresh: 'Refresh', grid: 'Grid', categories: 'Resident categories (comma-separated)', planRoute: 'Plan the route',
          accountName: 'Account', password: 'Password', signIn: 'Sign in', signOut: 'Sign out',
          loading: 'Loading…', loaded: 'Loaded', failed: 'Could not load', noResults: 'No results', clickMapFirst: 'Click the map to choose the place first',
          microGrids: 'Micro-grids', grids: 'Grids', roads: 'Roads', water: 'Water', wells: 'Wells', services: 'Service points', homes: 'Homes',
          events: 'Events', route: 'Outreach route', village: 'Village', microGridList: 'Micro-grids', features: 'Features', residents: 'Residents',
          team: 'Grid team', role: 'Role', name: 'Name', unit: 'Unit', phone: 'Phone', count: 'Count',
          chief: 'Grid chief', liaison: 'Liaison', functional: 'Functional staff', volunteer: 'Volunteer',
          'party-member': 'Party members', veteran: 'Veterans', disabled: 'Disabled', 'elderly-living-alone': 'Elderly living alone',
          'left-behind-child': 'Left-behind children', 'low-income': 'Low income',
          raised: 'Raised', 'handled-by-grid': 'Handled by the grid', whistled: 'Whistled', 'awaiting-verification': 'Awaiting verification', verified: 'Verified', closed: 'Closed',
          reported: 'Reported, number', handledBy: 'Handled by grid', reportIn: 'Report in', resolve: 'Resolve', deadline: 'Deadline', overdue: 'Overdue',
          state: 'State', queueEmpty: 'Nothing in the queue', stops: 'Homes to visit', signedInAs: 'Signed in as', office: 'Town office', department: 'Department',
          'grid-worker': 'Grid worker', resident: 'Resident', signedOut: 'Signed out', wrongRole: 'This needs another role',
          townFigures: 'Town', chart: 'Events chart', report_in_due: 'Report-in due', resolution_due: 'Resolution due', next_due: 'Next deadline',
          collected: 'Collected', dispatches: 'Dispatches', reported_in: 'Reported in', resolved: 'Resolved', overdue_now: 'Overdue now',
          sent_back: 'Sent back', escalations: 'Escalations', satisfied: 'Satisfied', report_in_rate: 'Report-in rate', resolution_rate: 'Resolution rate',
          on_time_report_in_rate: 'On-time report-in rate', on_time_resolution_rate: 'On-time resolution rate', satisfaction_rate: 'Satisfaction rate',
          reported_in_on_time: 'Reported in on time', resolved_on_time: 'Resolved on time', group: 'Scope',
          'awaiting-report-in': 'Awaiting report-in', handling: 'Being handled', signInFailed: 'The account or the password is wrong', signInThrottled: 'Too many failed sign-ins: try again later',
        },
      };
      const lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'zh';
      const t = (key) => (TEXT[lang][key] !== undefined ? TEXT[lang][key] : (TEXT.zh[key] !== undefined ? TEXT.zh[key] : key));

      // ---- Small DOM helpers: data always goes in as text ----
      const $ = (selector) => document.querySelector(selector);
      function el(tag, attributes, ...children) {
        const node = document.createElement(tag);
        for (const [name, value] of Object.entries(attributes || {})) {
          if (name === 'class') node.className = value; else if (name.startsWith('on')) node.addEventListener(name.slice(2), value); else node.setAttribute(name, value);
        }
        for (const child of children) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
        return node;
      }
      function table(headers, rows) {
        return el('table', {}, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))),
          el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((cell) => el('td', {}, cell))))));
      }
      function setStatus(text, isError) {
        const status = $('#status');
        status.textContent = text;
        status.classList.toggle('error', Boolean(isError));
      }

      // ---- The session: the cookie is the server's; the tab keeps the CSRF value and the role ----
      let session = null;
      try { session = JSON.parse(sessionStorage.getItem('gridmap.session') || 'null'); } catch (e) { session = null; }
      const roleKind = () => (session && session.role ? String(session.role).split(':')[0] : 'public');
      const roleTarget = () => (session && session.role && session.role.includes(':') ? session.role.slice(session.role.indexOf(':') + 1) : '');

      class ApiError extends Error {
        constructor(status, detail) { super(detail); this.status = status; }
      }
      /** Calls the server as the signed-in viewer; a problem document becomes an ApiError with its detail. */
      async function api(path, options) {
        const { method = 'GET', json, form } = options || {};
        const headers = { Accept: 'application/geo+json, application/json' };
        let body;
        if (json !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
        if (form !== undefined) { body = new URLSearchParams(form); }
        if (method !== 'GET' && session && session.csrf) headers['X-CSRF-Token'] = session.csrf;
        const response = await fetch(path, { method, headers, body, credentials: 'same-origin' });
        const type = response.headers.get('Content-Type') || '';
        const data = type.includes('json') ? await response.json() : await response.text();
        if (!response.ok) throw new ApiError(response.status, (data && (data.detail || data.title || data.description)) || String(response.status));
        return data;
      }
      /** The same-origin path of a link the server gave (its host may be named differently behind a proxy). */
      function localPath(href) {
        const url = new URL(href, location.href);
        return url.pathname + url.search;
      }
      /** A collection's items, following `next` links up to `max` features (one page if `onePage`). */
      async function items(collection, query, max, onePage) {
        const parameters = new URLSearchParams(Object.assign({ f: 'json', limit: String(Math.min(max || 10000, 1000)) }, query || {}));
        let path = '/collections/' + encodeURIComponent(collection) + '/items?' + parameters;
        const features = [];
        while (path && features.length < (max || 100000)) {
          const page = await api(path);
          features.push(...(page.features || []));
          const next = onePage ? null : (page.links || []).find((link) => link.rel === 'next');
          path = next ? localPath(next.href) : null;
        }
        return features;
      }

      // ---- The map: GridMap's own layers, no tiles ----
      const map = L.map('map', { zoomControl: true, minZoom: 8, maxZoom: 19 });
      map.attributionControl.setPrefix('GridMap · Leaflet');
      const overlays = {};
      const layersControl = L.control.layers(null, null, { collapsed: true }).addTo(map);
      function overlay(key, layer, visible) {
        overlays[key] = layer;
        layersControl.addOverlay(layer, t(key));
        if (visible) layer.addTo(map);
        return layer;
      }
      function zoomClasses() {
        const zoom = map.getZoom();
        const classes = map.getContainer().classList;
        classes.toggle('gm-zoom-low', zoom < 13);
        classes.toggle('gm-zoom-mid', zoom >= 13 && zoom < 15);
        classes.toggle('gm-zoom-high', zoom >= 15);
      }
      map.on('zoomend', zoomClasses);

      function popupFor(properties, title) {
        const rows = Object.entries(properties || {}).filter(([, v]) => v !== null && typeof v !== 'object').slice(0, 12);
        return el('div', {}, el('b', {}, title || properties.name || properties.code || ''), table([], rows.map(([k, v]) => [k, String(v)])));
      }
      /** Names a drawn feature on its SVG element (data-NAME), for styles and for the browser tests. */
      function tag(layer, name, value) {
        layer.on('add', () => { const node = layer.getElement && layer.getElement(); if (node) node.setAttribute('data-' + name, String(value || '')); });
      }
      const pointLayer = (style) => L.geoJSON(null, {
        pointToLayer: (feature, latlng) => L.circleMarker(latlng, style),
        onEachFeature: (feature, layer) => layer.bindPopup(() => popupFor(feature.properties)),
      });
      const lineLayer = (style) => L.geoJSON(null, { style, onEachFeature: (feature, layer) => layer.bindPopup(() => popupFor(feature.properties)) });

      let mode = 'info';
      let reportPlace = null;
      let reportMarker = null;

      const microGrids = L.geoJSON(null, {
        style: { className: 'gm-microgrid', color: '#3b6ea5', weight: 1, fillColor: '#dfe9f5', fillOpacity: 0.35 },
        onEachFeature: (feature, layer) => {
          layer.bindTooltip(String(feature.properties.code || ''), { permanent: true, direction: 'center', className: 'gm-label gm-label-mg', interactive: false });
          tag(layer, 'code', feature.properties.code);
          layer.on('click', (event) => {
            if (mode === 'report') { placeReport(event.latlng); L.DomEvent.stopPropagation(event); return; }
            showGrid(feature.properties.grid, feature.properties.code);
          });
        },
      });
      const grids = L.geoJSON(null, {
        style: { className: 'gm-grid', color: '#1f3f66', weight: 2.5, fill: false },
        interactive: false,
        onEachFeature: (feature, layer) => layer.bindTooltip(String(feature.properties.code || ''), { permanent: true, direction: 'center', className: 'gm-label gm-label-grid', interactive: false }),
      });
      const water = L.featureGroup();
      const waterStyle = { className: 'gm-water', color: '#4a90c2', weight: 2, fillColor: '#a9cfe8', fillOpacity: 0.8 };
      const roads = lineLayer((feature) => ({ className: 'gm-road', color: feature.properties.class === 'county' ? '#d08a2e' : '#8a8f96', weight: feature.properties.class === 'county' ? 3 : 1.5 }));
      const wells = pointLayer({ className: 'gm-well', radius: 3, color: '#1c6fb8', weight: 1, fillOpacity: 0.9 });
      const services = L.featureGroup();
      const serviceKinds = [
        ['citizen-service-stations', '#6a3d9a'], ['party-masses-service-centres', '#b3261e'], ['clinics', '#2e7d32'],
        ['schools', '#e08e0b'], ['kindergartens', '#c2185b'],
      ];
      const homes = pointLayer({ className: 'gm-home', radius: 2.5, color: '#555', weight: 1, fillOpacity: 0.7 });
      const events = L.geoJSON(null, {
        pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
          className: 'gm-event gm-event-' + String(feature.properties.state || feature.properties.phase || 'raised'),
          radius: 7, color: '#fff', weight: 2, fillColor: feature.properties.state === 'closed' ? '#6c757d' : '#e8590c', fillOpacity: 0.95,
        }),
        onEachFeature: (feature, layer) => { tag(layer, 'event', feature.id); layer.bindPopup(() => eventPopup(feature)); },
      });
      // The residents the viewer may see (the office, a grid worker: the server decides which), at their homes.
      const residents = L.geoJSON(null, {
        pointToLayer: (feature, latlng) => L.circleMarker(latlng, { className: 'gm-resident', radius: 4, color: '#7b2cbf', weight: 1, fillOpacity: 0.8 }),
        onEachFeature: (feature, layer) => layer.bindPopup(() => popupFor(feature.properties, feature.properties.name)),
      });
      const routeLayer = L.geoJSON(null, {
        style: { className: 'gm-route', color: '#d9480f', weight: 4 },
        pointToLayer: (feature, latlng) => L.circleMarker(latlng, { className: 'gm-route-stop', radius: 5, color: '#d9480f', fillOpacity: 1 }),
        onEachFeature: (feature, layer) => layer.bindPopup(() => popupFor(feature.properties)),
      });

      function eventPopup(feature) {
        const p = feature.properties || {};
        const state = p.state || p.phase;
        return el('div', {}, el('b', {}, p.category_name || p.categoryName || p.category || t('events')),
          table([], [[t('state'), state ? t(state) : ''], [t('description'), p.description || ''],
            [t('residents'), Array.isArray(p.residents) ? p.residents.join(', ') : String(p.residents_count || '')], ['#', String(feature.id || p.id || '')]]));
      }

      async function loadInto(layer, collection, query) {
        const features = await items(collection, query);
        layer.addData({ type: 'FeatureCollection', features });
        return features.length;
      }

      async function loadEvents() {
        events.clearLayers();
        return loadInto(events, 'events', {});
      }

      // Homes, and residents for the roles that see them, from zoom 16: only those in view (bbox).
      // When the last load is done, the body's data-in-view says how many of each are drawn.
      const seesResidents = () => ['grid-worker', 'office'].includes(roleKind());
      let inViewRequest = 0;
      async function loadInView(layer, collection, request) {
        if (!map.hasLayer(layer) || map.getZoom() < 16) { layer.clearLayers(); return 0; }
        const b = map.getBounds();
        const features = await items(collection, { bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',') }, 2000);
        if (request !== inViewRequest) return -1;
        layer.clearLayers();
        layer.addData({ type: 'FeatureCollection', features });
        return features.length;
      }
      async function loadHomes() {
        const request = ++inViewRequest;
        document.body.dataset.inView = '';
        try {
          const [homeCount, residentCount] = await Promise.all([loadInView(homes, 'homes', request),
            seesResidents() ? loadInView(residents, 'residents', request) : (residents.clearLayers(), 0)]);
          if (request === inViewRequest) document.body.dataset.inView = JSON.stringify({ zoom: map.getZoom(), homes: homeCount, residents: residentCount });
        } catch (error) { setStatus(t('homes') + ': ' + error.message, true); }
      }
      map.on('moveend', loadHomes);
      map.on('overlayadd', loadHomes);

      async function loadMap() {
        setStatus(t('loading'));
        document.body.dataset.state = 'loading';
        const problems = [];
        const attempt = async (label, work) => {
          try { await work(); } catch (error) { problems.push(t(label) + ': ' + error.message); }
        };
        await attempt('microGrids', () => loadInto(microGrids, 'micro-grids'));
        // The town's micro-grids give the first view; Leaflet needs one before any layer is added.
        if (microGrids.getLayers().length) map.fitBounds(microGrids.getBounds()); else map.setView([0, 0], 2);
        zoomClasses();
        overlay('microGrids', microGrids, true);
        overlay('grids', grids, true);
        overlay('water', water, true);
        overlay('roads', roads, true);
        overlay('wells', wells, true);
        overlay('services', services, true);
        overlay('homes', homes, true);
        if (seesResidents()) overlay('residents', residents, true);
        overlay('events', events, true);
        overlay('route', routeLayer, true);
        await Promise.all([
          attempt('grids', () => loadInto(grids, 'grids')),
          attempt('water', async () => {
            for (const kind of ['lakes', 'rivers', 'ditches']) {
              const layer = lineLayer(waterStyle);
              await loadInto(layer, kind);
              water.addLayer(layer);
            }
          }),
          attempt('roads', () => loadInto(roads, 'roads')),
          attempt('wells', () => loadInto(wells, 'wells')),
          attempt('services', async () => {
            for (const [kind, color] of serviceKinds) {
              const layer = pointLayer({ className: 'gm-service gm-' + kind, radius: 6, color: '#fff', weight: 1.5, fillColor: color, fillOpacity: 1 });
              await loadInto(layer, kind);
              services.addLayer(layer);
            }
          }),
          attempt('events', loadEvents),
        ]);
        microGrids.bringToFront();
        events.bringToFront();
        if (problems.length) setStatus(t('failed') + ' — ' + problems.join('; '), true); else setStatus(t('loaded'));
        document.body.dataset.state = 'ready';
        document.body.dataset.problems = String(problems.length);
        loadHomes();
      }

      // ---- The panel's tabs ----
      function showTab(name) {
        mode = name;
        for (const button of document.querySelectorAll('#tabs button')) button.setAttribute('aria-selected', String(button.dataset.tab === name));
        for (const section of document.querySelectorAll('#panel section')) section.hidden = section.dataset.panel !== name;
        if (name === 'report') loadCatalogue();
        if (name === 'queue') loadQueue();
        if (name === 'dashboard') loadDashboard();
        if (name === 'route' && !$('#route-grid').value && roleKind() === 'grid-worker') $('#route-grid').value = roleTarget();
      }
      for (const button of document.querySelectorAll('#tabs button')) button.addEventListener('click', () => showTab(button.dataset.tab));

      /** Shows what the viewer's role uses (the server decides what each call answers). */
      function applyRole() {
        const kind = roleKind();
        for (const node of document.querySelectorAll('[data-roles]')) node.hidden = !node.dataset.roles.split(' ').includes(kind);
        $('#who').textContent = session ? session.account + ' · ' + t(kind) + (roleTarget() ? ' ' + roleTarget() : '') : t('anonymous');
        $('#login-form').hidden = Boolean(session);
        $('#signed-in').hidden = !session;
        $('#signed-in-as').textContent = session ? t('signedInAs') + ' ' + session.account + ' (' + session.role + ')' : '';
        document.body.dataset.role = session ? session.role : 'public';
      }

      // ---- A grid's card ----
      let lastGrid = '';
      async function showGrid(grid, microGrid) {
        lastGrid = grid;
        showTab('info');
        const card = $('#grid-card');
        card.replaceChildren(el('p', {}, t('loading')));
        try {
          const g = await api('/map/api/grids/' + encodeURIComponent(grid));
          card.replaceChildren(el('div', { class: 'card', 'data-grid': g.code },
            el('h2', {}, (microGrid ? microGrid + ' · ' : '') + g.code + ' ' + g.name),
            table([], [
              [t('village'), (g.villageName || '') + ' ' + g.village],
              [t('microGridList'), g.microGrids.join(', ')],
              [t('features'), String(g.features)],
              [t('residents'), String(g.residents)],
              ...g.residentsByCategory.map((c) => [t(c.category), String(c.count)]),
            ]),
            el('h2', {}, t('team')),
            table([t('role'), t('name'), t('unit'), t('phone')], g.team.map((m) => [t(m.role), m.name, m.unit || '', m.phone || '']))));
          card.querySelector('table:last-of-type').classList.add('team');
        } catch (error) { card.replaceChildren(el('p', { class: 'overdue' }, error.message)); }
      }

      // ---- Search: an address (homes), or a resident for the roles that may see them ----
      $('#search-form').addEventListener('submit', async (event) => {
        event.preventDefault();
        const q = $('#search-text').value.trim();
        const kind = $('#search-kind').value;
        const list = $('#search-results');
        list.replaceChildren(el('li', {}, t('loading')));
        list.dataset.state = 'loading';
        try {
          let found = [];
          if (kind === 'resident') {
            // The residents the viewer may see (the server filters by role), matched by name here:
            // a grid worker's own grid, or for the office the grid last clicked, else the town.
            const grid = roleKind() === 'grid-worker' ? roleTarget() : lastGrid;
            found = (await items('residents', grid ? { grid } : {}, 100000)).filter((f) => String(f.properties.name || '').includes(q)).slice(0, 50);
          } else {
            const answer = await api('/map/api/address?q=' + encodeURIComponent(q));
            found = answer.homes.filter((h) => h.lon !== null && h.lon !== undefined).map((h) => ({
              type: 'Feature', geometry: { type: 'Point', coordinates: [h.lon, h.lat] },
              properties: { name: h.name, address: h.address, id: h.id },
            }));
            if (!found.length && answer.unmatched) { list.replaceChildren(el('li', {}, t('noResults') + ' (' + answer.unmatched + ')')); list.dataset.state = 'done'; return; }
          }
          list.replaceChildren(...(found.length ? found.map((f) => el('li', {
            onclick: () => {
              if (!f.geometry) return;
              const [lon, lat] = f.geometry.coordinates;
              map.setView([lat, lon], 18);
              L.popup().setLatLng([lat, lon]).setContent(popupFor(f.properties)).openOn(map);
            },
          }, [f.properties.name, f.properties.address || f.properties.home || '', f.properties.grid || ''].filter(Boolean).join(' · '))) : [el('li', {}, t('noResults'))]));
        } catch (error) { list.replaceChildren(el('li', { class: 'overdue' }, error.message)); }
        list.dataset.state = 'done';
      });

      // ---- Report a problem at a place clicked on the map (Open311) ----
      let catalogue = null;
      async function loadCatalogue() {
        if (catalogue) return;
        try {
          catalogue = await api('/open311/v2/services.json');
          $('#report-category').replaceChildren(...catalogue.map((s) => el('option', { value: s.service_code },
            lang === 'en' && s.description ? s.description : s.service_name)));
        } catch (error) { setStatus(t('category') + ': ' + error.message, true); }
      }
      function placeReport(latlng) {
        reportPlace = latlng;
        if (reportMarker) reportMarker.setLatLng(latlng); else reportMarker = L.circleMarker(latlng, { className: 'gm-report-place', radius: 9, color: '#b3261e', weight: 3 }).addTo(map);
        $('#report-place').textContent = latlng.lng.toFixed(6) + ', ' + latlng.lat.toFixed(6);
        $('#report-submit').disabled = false;
      }
      map.on('click', (event) => { if (mode === 'report') placeReport(event.latlng); });
      $('#report-form').addEventListener('submit', async (event) => {
        event.preventDefault();
        const result = $('#report-result');
        if (!reportPlace) { result.textContent = t('clickMapFirst'); return; }
        result.dataset.state = 'sending';
        delete result.dataset.request;
        try {
          const answer = await api('/open311/v2/requests.json', { method: 'POST', form: {
            service_code: $('#report-category').value, lat: String(reportPlace.lat), long: String(reportPlace.lng),
            description: $('#report-description').value,
          } });
          const request = Array.isArray(answer) ? answer[0] : answer;
          result.textContent = t('reported') + ' ' + request.service_request_id + (request.grid ? ' · ' + t('handledBy') + ' ' + request.grid + (request.micro_grid ? ' / ' + request.micro_grid : '') : '');
          result.dataset.request = String(request.service_request_id);
          $('#report-description').value = '';
          await loadEvents();
        } catch (error) { result.textContent = error.message; }
        result.dataset.state = 'done';
      });

      // ---- A department's queue, with deadlines and its two actions ----
      function deadlines(row) {
        return Object.entries(row).filter(([k, v]) => /deadline|due/i.test(k) && typeof v === 'string');
      }
      async function loadQueue() {
        const list = $('#queue-list');
        list.dataset.state = 'loading';
        try {
          if (roleKind() !== 'department') { list.replaceChildren(el('p', {}, t('wrongRole'))); return; }
          list.replaceChildren(el('p', {}, t('loading')));
          const data = await api('/departments/' + encodeURIComponent(roleTarget()) + '/queue');
          // Each item: the event, this department's part of it (state), its deadlines, overdue.
          const rows = Array.isArray(data) ? data : (data.items || data.queue || []);
          if (!rows.length) { list.replaceChildren(el('p', {}, t('queueEmpty'))); return; }
          const now = Date.now();
          list.replaceChildren(...rows.map((row) => {
            const event = row.event || row;
            const id = event.id;
            const state = row.state || event.state || '';
            const late = (due) => (row.overdue !== undefined ? row.overdue && due === row.next_due : Date.parse(due) < now);
            return el('div', { class: 'queue-item', 'data-event': String(id) },
              el('b', {}, '#' + id + ' ' + (event.category_name || event.categoryName || event.category || '')),
              el('div', {}, t('state') + ': ' + t(state)),
              event.description ? el('div', {}, event.description) : null,
              ...deadlines(row).map(([k, v]) => el('div', { class: late(v) ? 'overdue' : '' }, t(k) + ': ' + new Date(v).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN') + (late(v) ? ' · ' + t('overdue') : ''))),
              el('button', { type: 'button', class: 'report-in', onclick: () => act(id, 'report-in') }, t('reportIn')),
              el('button', { type: 'button', class: 'resolve', onclick: () => act(id, 'resolve') }, t('resolve')));
          }));
        } catch (error) { list.replaceChildren(el('p', { class: 'overdue' }, error.message)); } finally { list.dataset.state = 'done'; }
      }
      async function act(id, action) {
        try {
          await api('/events/' + encodeURIComponent(id) + '/' + action, { method: 'POST', json: {} });
          setStatus(t(action === 'resolve' ? 'resolve' : 'reportIn') + ' #' + id);
        } catch (error) { setStatus(error.message, true); }
        await loadQueue();
      }
      $('#queue-refresh').addEventListener('click', loadQueue);

      // ---- The dashboard: the town's rates, and the chart ----
      function figures(value) {
        if (Array.isArray(value) && value.length === 1 && value[0] && typeof value[0] === 'object') return figures(value[0]);
        if (value && typeof value === 'object' && !Array.isArray(value) && Array.isArray(value.rows)) return figures(value.rows);
        if (Array.isArray(value)) {
          const keys = [...new Set(value.flatMap((row) => (row && typeof row === 'object' ? Object.keys(row) : [])))];
          return table(keys, value.map((row) => keys.map((k) => (row[k] === null || row[k] === undefined ? '' : typeof row[k] === 'object' ? JSON.stringify(row[k]) : String(row[k])))));
        }
        if (value && typeof value === 'object') {
          return el('div', {}, ...Object.entries(value).map(([k, v]) => (v && typeof v === 'object'
            ? el('div', {}, el('h3', {}, k), figures(v))
            : el('span', { class: 'figure', 'data-key': k }, el('b', {}, typeof v === 'number' && !Number.isInteger(v) ? (v * 100).toFixed(1) + '%' : String(v)), t(k)))));
        }
        return el('span', {}, String(value));
      }
      async function loadDashboard() {
        const board = $('#dashboard');
        board.replaceChildren(el('p', {}, t('loading')));
        board.dataset.state = 'loading';
        try {
          // by=town: no rows, the town's figures are the total.
          const rates = await api('/events/rates?by=town');
          board.replaceChildren(el('h3', {}, t('townFigures')), figures(rates.total),
            el('img', { class: 'chart', src: '/events/chart.svg?t=' + Date.now(), alt: t('chart') }));
        } catch (error) { board.replaceChildren(el('p', { class: 'overdue' }, error.message)); }
        board.dataset.state = 'done';
      }
      $('#dashboard-refresh').addEventListener('click', loadDashboard);

      // ---- An outreach route, drawn on the map ----
      $('#route-form').addEventListener('submit', async (event) => {
        event.preventDefault();
        const result = $('#route-result');
        result.textContent = t('loading');
        result.dataset.state = 'loading';
        delete result.dataset.stops;
        try {
          const query = new URLSearchParams({ grid: $('#route-grid').value.trim(), category: $('#route-categories').value.trim() });
          const route = await api('/jobs/route?' + query);
          routeLayer.clearLayers();
          routeLayer.addData(route);
          if (routeLayer.getLayers().length) map.fitBounds(routeLayer.getBounds(), { maxZoom: 17 });
          // One line per worker along the roads; each names the homes it visits.
          const stops = (route.features || []).reduce((sum, f) => sum + ((f.properties && f.properties.homes) || []).length, 0);
          result.textContent = t('stops') + ': ' + stops;
          result.dataset.stops = String(stops);
        } catch (error) { result.textContent = error.message; }
        result.dataset.state = 'done';
      });

      // ---- Sign in and out ----
      $('#login-form').addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
          const answer = await api('/auth/login', { method: 'POST', json: { name: $('#login-name').value, password: $('#login-password').value } });
          session = { account: answer.account, role: answer.role, csrf: answer.csrf, expires: answer.expires };
          sessionStorage.setItem('gridmap.session', JSON.stringify(session));
          $('#login-password').value = '';
          $('#login-result').textContent = '';
          applyRole();
          if (seesResidents() && !overlays.residents) overlay('residents', residents, true);
          setStatus(t('signedInAs') + ' ' + session.account);
          await loadEvents();
          loadHomes();
        } catch (error) { $('#login-result').textContent = error.message; setStatus(error.message, true); }
      });
      $('#logout').addEventListener('click', async () => {
        try { await api('/auth/logout', { method: 'POST' }); } catch (error) { /* the session is gone either way */ }
        session = null;
        sessionStorage.removeItem('gridmap.session');
        location.reload();
      });

      // ---- Start ----
      for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
      $('#search-text').placeholder = t('search');
      async function start() {
        // A sign-in by the form's own post (before the script ran) comes back with ?signin=ok, or
        // =failed / =throttled: the page asks /auth/me who it is and for the session's CSRF value.
        const query = new URLSearchParams(location.search);
        const signin = query.get('signin');
        if (signin) {
          query.delete('signin');
          history.replaceState(null, '', location.pathname + (String(query) ? '?' + query : '') + location.hash);
        }
        if (session || signin === 'ok') {
          try {
            const me = await api('/auth/me');
            session = { account: me.account, role: me.role, csrf: me.csrf || (session && session.csrf), expires: me.expires };
            sessionStorage.setItem('gridmap.session', JSON.stringify(session));
          } catch (error) { session = null; sessionStorage.removeItem('gridmap.session'); }
        }
        applyRole();
        const refused = signin === 'failed' || signin === 'throttled';
        showTab(refused ? 'account' : 'info');
        if (refused) $('#login-result').textContent = t(signin === 'failed' ? 'signInFailed' : 'signInThrottled');
        await loadMap();
      }
      start();
    })();
    """#
}
