// RetrySpool dashboard: plain script, no framework, no inline code (the page's Content-Security-Policy forbids it).
'use strict';
(function () {
    const STATES = ['INCOMING', 'ACTIVE', 'DEFERRED', 'HOLD', 'BOUNCE', 'ARCHIVED'];
    const WRITE_HEADER = 'X-RetrySpool-Dashboard';
    const main = document.getElementById('main');
    let session = { canWrite: false };
    let lastOverview = null;

    function el(tag, attributes, ...children) {
        const node = document.createElement(tag);
        Object.entries(attributes || {}).forEach(([name, value]) => {
            if (value === undefined || value === null || value === false) return;
            if (name === 'onclick' || name === 'onsubmit' || name === 'onchange') node.addEventListener(name.slice(2), value);
            else node.setAttribute(name, value === true ? '' : value);
        });
        children.flat().forEach(child => node.append(child instanceof Node ? child : document.createTextNode(child ?? '')));
        return node;
    }

    async function api(path, options) {
        const response = await fetch('api/' + path, Object.assign({ headers: { 'Accept': 'application/json' }, credentials: 'same-origin' }, options));
        if (response.status === 204) return null;
        const body = await response.json().catch(() => ({ message: response.statusText }));
        if (!response.ok) throw new Error(body.message || ('HTTP ' + response.status));
        return body;
    }

    function write(path, method, body) {
        const headers = { 'Accept': 'application/json', 'Content-Type': 'application/json' };
        headers[WRITE_HEADER] = '1';
        if (session.csrfHeader && session.csrfToken) headers[session.csrfHeader] = session.csrfToken;
        return api(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined });
    }

    function toast(text, bad) {
        const box = document.getElementById('toast');
        box.textContent = text;
        box.className = 'toast' + (bad ? ' bad' : '');
        box.hidden = false;
        clearTimeout(toast.timer);
        toast.timer = setTimeout(() => { box.hidden = true; }, 4000);
    }

    // a count, "≈" before it when the server estimated it (beyond retryspool.exact-count-limit)
    function quantity(n, estimated) {
        return (estimated ? '≈' : '') + Number(n).toLocaleString('en-US');
    }

    function age(seconds) {
        if (seconds === null || seconds === undefined) return '–';
        if (seconds < 60) return seconds + ' s';
        if (seconds < 3600) return Math.floor(seconds / 60) + ' min';
        if (seconds < 86400) return (seconds / 3600).toFixed(1) + ' h';
        return (seconds / 86400).toFixed(1) + ' d';
    }

    function time(iso) {
        return iso ? new Date(iso).toLocaleString() : '–';
    }

    function route() {
        const hash = location.hash.replace(/^#/, '') || '/';
        const [path, query] = hash.split('?');
        const params = new URLSearchParams(query || '');
        const parts = path.split('/').filter(Boolean);
        document.querySelectorAll('nav a').forEach(a => a.classList.toggle('current', a.getAttribute('href') === '#/' + parts.join('/')));
        if (parts[0] === 'state' && parts[1]) return showList(parts[1].toUpperCase(), params);
        if (parts[0] === 'message' && parts[1]) return showMessage(decodeURIComponent(parts[1]));
        if (parts[0] === 'destinations') return showDestinations();
        return showOverview();
    }

    // --- overview ---
    function showOverview() {
        main.replaceChildren(el('h1', {}, 'Overview'), el('div', { id: 'overview' }, el('p', { class: 'muted' }, 'Loading…')),
            el('div', { id: 'shards' }));
        if (lastOverview) renderOverview(lastOverview);
        api('overview').then(renderOverview).catch(error => toast(error.message, true));
        api('shards').then(renderShards).catch(error => toast(error.message, true));
    }

    // a spool over several databases: each shard's affinity, and its counts or why it cannot be read
    function renderShards(shards) {
        const target = document.getElementById('shards');
        if (!target || !shards.length) return;
        const rows = shards.map(shard => el('tr', { 'data-shard': shard.name, class: shard.reachable ? '' : 'unreachable' },
            el('td', { class: 'mono' }, shard.name),
            el('td', {}, shard.affinity === 0 ? '0 (draining)' : String(shard.affinity)),
            el('td', { 'data-status': shard.reachable ? 'reachable' : 'unreachable' }, shard.reachable ? 'reachable' : 'unreachable'),
            STATES.map(state => el('td', { 'data-count': state },
                shard.reachable ? quantity(shard.counts[state] ?? 0, shard.estimated.includes(state)) : '–')),
            el('td', { class: 'error' }, shard.error || '')));
        target.replaceChildren(el('h2', {}, 'Shards'), el('table', { id: 'shard-table' },
            el('thead', {}, el('tr', {}, ['shard', 'affinity', 'status'].concat(STATES, ['error']).map(h => el('th', {}, h)))),
            el('tbody', {}, rows)));
    }

    function renderOverview(overview) {
        lastOverview = overview;
        updateNavCounts(overview.counts, overview.estimated);
        updateDestinationsBadge(overview.suspendedDestinations);
        const target = document.getElementById('overview');
        if (!target) return;
        const cards = el('div', { class: 'cards' }, STATES.map(state => el('a', { class: 'card', href: '#/state/' + state, 'data-state': state },
            el('div', { class: 'label' }, state), el('div', { class: 'n', 'data-count': state },
                quantity(overview.counts[state] ?? 0, overview.estimated.includes(state))))));
        const facts = el('div', { class: 'facts' },
            el('span', {}, 'Workers: ', el('b', { id: 'running' }, overview.running ? 'running' : 'stopped')),
            el('span', {}, 'Oldest due message waiting: ', el('b', { id: 'oldest-due' }, age(overview.oldestDueAgeSeconds))),
            el('span', {}, 'As of ', el('b', {}, new Date(overview.takenAt).toLocaleTimeString())));
        const delayed = overview.delayed;
        const after = age(delayed.afterSeconds);
        const late = Object.entries(delayed.byState).map(([state, n]) => el('a', {
            href: '#/state/' + state + '?olderThan=' + delayed.afterSeconds + 's', 'data-delayed': state },
            quantity(n, delayed.estimated) + ' ' + state));
        const attention = el('div', { class: 'facts attention', id: 'attention' },
            el('span', {}, 'On hold: ', el('b', { id: 'held' }, quantity(overview.counts.HOLD ?? 0, overview.estimated.includes('HOLD')))),
            el('span', {}, 'Suspended destinations: ', el('a', { href: '#/destinations', id: 'suspended-destinations' },
                String(overview.suspendedDestinations.length))),
            el('span', { id: 'delayed' }, 'Undelivered after ' + after + ': ',
                late.length ? late.flatMap((link, i) => i ? [', ', link] : [link]) : el('b', {}, 'none')));
        const max = Math.max(1, ...overview.lastHour.map(m => m.delivered + m.deferred + m.bounced));
        const chart = el('div', { class: 'chart', id: 'activity' }, overview.lastHour.map(minute => {
            const column = el('div', { class: 'col', title: new Date(minute.startMillis).toLocaleTimeString()
                    + ': ' + minute.delivered + ' delivered, ' + minute.deferred + ' deferred, ' + minute.bounced + ' bounced' });
            ['delivered', 'deferred', 'bounced'].forEach(kind => {
                const bar = el('div', { class: kind });
                bar.style.height = (100 * minute[kind] / max) + 'px';
                column.append(bar);
            });
            return column;
        }));
        const legend = el('p', { class: 'legend muted' },
            ['delivered', 'deferred', 'bounced'].map(kind => el('span', {}, el('span', { class: 'sw ' + kind }), kind)),
            'per minute, last hour, all instances');
        target.replaceChildren(cards, facts, attention, el('h2', {}, 'Delivery attempts'), chart, legend,
            el('h2', {}, 'Backlog by age since enqueue'), el('div', { id: 'backlog' }, el('p', { class: 'muted' }, 'Loading…')));
        api('backlog').then(renderBacklog).catch(error => toast(error.message, true));
    }

    function renderBacklog(backlog) {
        const target = document.getElementById('backlog');
        if (!target) return;
        const all = Object.values(backlog.states).flat();
        const max = Math.max(1, ...all);
        const table = el('table', { class: 'heatmap', id: 'backlog-table' },
            el('thead', {}, el('tr', {}, el('th', {}, 'state'), backlog.buckets.map(b => el('th', {}, '≤ ' + b)))),
            el('tbody', {}, Object.entries(backlog.states).map(([state, counts]) => el('tr', {},
                el('th', {}, el('a', { href: '#/state/' + state }, state)),
                counts.map((n, i) => {
                    const estimated = backlog.estimated[state][i];
                    const cell = el('td', { 'data-backlog': state + ':' + backlog.buckets[i],
                        title: quantity(n, estimated) + ' ' + state + ' messages aged ≤ ' + backlog.buckets[i] + (estimated ? ' (estimated)' : '') }, n ? quantity(n, estimated) : '');
                    if (n) cell.style.background = 'rgba(31, 111, 235, ' + (0.12 + 0.75 * n / max).toFixed(2) + ')';
                    if (n && n / max > 0.5) cell.style.color = '#fff';
                    return cell;
                })))));
        const estimates = Object.values(backlog.estimated).flat().some(Boolean)
            ? ' "≈": an estimate, for a state holding more messages than are counted exactly.' : '';
        target.replaceChildren(table, el('p', { class: 'muted' }, 'As Postfix\'s qshape: each column holds the messages up to that age, older than the column before.' + estimates));
    }

    function updateNavCounts(counts, estimated) {
        const nav = document.getElementById('states');
        if (!nav.children.length) {
            nav.append(el('a', { href: '#/' }, 'Overview'));
            STATES.forEach(state => nav.append(el('a', { href: '#/state/' + state }, state, ' ', el('span', { class: 'badge', 'data-nav-count': state }, '0'))));
            nav.append(el('a', { href: '#/destinations' }, 'Destinations', ' ', el('span', { class: 'badge', id: 'nav-suspended' }, '0')));
        }
        STATES.forEach(state => {
            const badge = nav.querySelector('[data-nav-count="' + state + '"]');
            if (badge) badge.textContent = quantity(counts[state] ?? 0, estimated.includes(state));
        });
    }

    // the navigation's count of suspended destinations, highlighted while there are any
    function updateDestinationsBadge(suspended) {
        const badge = document.getElementById('nav-suspended');
        if (!badge || !suspended) return;
        badge.textContent = String(suspended.length);
        badge.classList.toggle('alert', suspended.length > 0);
    }

    // --- destinations suspended after failing too many times in a row: paused, or on probation; resume one ---
    function showDestinations() {
        main.replaceChildren(el('h1', {}, 'Destinations'),
            el('p', { class: 'muted' }, 'A destination whose delivery attempts fail too many times in a row '
                + '(retryspool.destinations.failure-threshold) is suspended: its messages wait, spending no attempts, '
                + 'until the pause ends; then one probe message is tried at a time, and a success resumes it.'),
            el('div', { id: 'destinations-view' }, el('p', { class: 'muted' }, 'Loading…')));
        if (lastOverview) renderDestinations(lastOverview.suspendedDestinations);
        api('destinations').then(renderDestinations).catch(error => toast(error.message, true));
    }

    function destinationState(d) {
        if (d.state === 'PAUSED') return 'paused until ' + time(d.suspendedUntil);
        if (d.state === 'PROBING') return 'on probation: one probe message at a time';
        return 'healthy';
    }

    function renderDestinations(suspended) {
        const target = document.getElementById('destinations-view');
        if (!target) return;
        updateDestinationsBadge(suspended);
        // live updates come every few seconds: leave the table (and the button about to be clicked) alone unless it changed
        const shown = JSON.stringify([suspended, session.canWrite]);
        if (target.dataset.shown === shown) return;
        target.dataset.shown = shown;
        if (!suspended.length) {
            target.replaceChildren(el('p', { id: 'no-suspended-destinations' }, 'No destination is suspended.'));
            return;
        }
        const rows = suspended.map(d => el('tr', { 'data-destination': d.name, 'data-state': d.state },
            el('td', { class: 'mono' }, d.name),
            el('td', { class: d.state === 'PAUSED' ? 'paused' : 'probing', 'data-destination-state': d.state }, destinationState(d)),
            el('td', {}, String(d.failures)),
            el('td', {}, String(d.suspensions)),
            el('td', {}, ['INCOMING', 'DEFERRED'].flatMap((state, i) => {
                const link = el('a', { href: '#/state/' + state + '?' + new URLSearchParams({ destination: d.name }).toString() }, state);
                return i ? [', ', link] : [link];
            })),
            el('td', {}, session.canWrite ? el('button', { class: 'primary', 'data-resume': d.name, onclick: () => resume(d.name) }, 'Resume') : '')));
        target.replaceChildren(el('table', { id: 'destinations' },
            el('thead', {}, el('tr', {}, ['destination', 'status', 'failures in a row', 'suspensions in a row', 'messages', ''].map(h => el('th', {}, h)))),
            el('tbody', {}, rows)),
            session.canWrite ? '' : el('p', { class: 'muted', id: 'read-only' }, 'Read-only: resuming a destination is not available to you.'));
    }

    function resume(name) {
        if (!confirm('Resume destination ' + name + '? Its messages are attempted again at once, within its limits.')) return;
        write('destinations/actions', 'POST', { destination: name, action: 'resume' })
            .then(() => toast('resumed ' + name))
            .catch(error => toast(error.message, true))
            .finally(() => api('destinations').then(renderDestinations).catch(error => toast(error.message, true)));
    }

    // --- list of one state, filtered by header, age, error text and destination, paged by cursor ---
    const FILTERS = ['headerName', 'headerValue', 'olderThan', 'errorContains', 'destination'];

    function showList(state, params) {
        const filter = {};
        FILTERS.forEach(name => { if (params.get(name)) filter[name] = params.get(name); });
        const after = params.get('after');
        main.replaceChildren(el('h1', {}, state), filterForm(state, filter), el('div', { id: 'list' }, el('p', { class: 'muted' }, 'Loading…')));
        const query = new URLSearchParams(Object.assign({ state: state, limit: '50' }, filter, after ? { after: after } : {}));
        const here = params => '#/state/' + state + '?' + new URLSearchParams(Object.assign({}, filter, params || {})).toString();
        api('messages?' + query.toString()).then(page => {
            const rows = page.items.map(message => el('tr', { 'data-id': message.id },
                el('td', { class: 'mono' }, el('a', { href: '#/message/' + encodeURIComponent(message.id) }, message.id)),
                el('td', {}, message.destination || ''),
                el('td', {}, String(message.attempts) + ' / ' + message.maxAttempts),
                el('td', {}, time(message.created)),
                el('td', {}, time(message.nextRetry)),
                el('td', { class: 'mono' }, Object.entries(message.headers).map(([k, v]) => k + '=' + v).join(', ')),
                el('td', { class: 'error' }, message.lastError || '')));
            const table = el('table', { id: 'messages' },
                el('thead', {}, el('tr', {}, ['id', 'destination', 'attempts', 'created', 'next retry', 'headers', 'last error'].map(h => el('th', {}, h)))),
                el('tbody', {}, rows));
            const filtered = Object.keys(filter).length > 0;
            const total = page.total < 0 ? 'matching messages in ' + state
                : quantity(page.total, page.totalEstimated) + (filtered ? ' matching in ' : ' in ') + state;
            const pager = el('div', { class: 'pager' },
                el('span', { class: 'muted', id: 'total' }, total),
                after ? el('a', { href: here(), id: 'first-page' }, 'First page') : '',
                page.hasMore ? el('a', { href: here({ after: page.nextCursor }), id: 'next-page' }, 'Next page') : '');
            const empty = page.hasMore ? 'None on this stretch; the next page goes on looking.' : 'No messages.';
            document.getElementById('list').replaceChildren(page.items.length ? table : el('p', { class: 'muted' }, empty),
                pager, bulkPanel(state, filter));
        }).catch(error => toast(error.message, true));
    }

    function filterForm(state, filter) {
        const inputs = {
            headerName: el('input', { id: 'filter-header-name', placeholder: 'header name', size: 14, value: filter.headerName }),
            headerValue: el('input', { id: 'filter-header-value', placeholder: 'value', size: 18, value: filter.headerValue }),
            olderThan: el('input', { id: 'filter-older-than', placeholder: 'older than, e.g. 1h', size: 16, value: filter.olderThan }),
            errorContains: el('input', { id: 'filter-error', placeholder: 'error contains', size: 18, value: filter.errorContains }),
            destination: el('input', { id: 'filter-destination', placeholder: 'destination', size: 18, value: filter.destination })
        };
        const form = el('form', { class: 'actions', id: 'filter', onsubmit: event => {
            event.preventDefault();
            const params = new URLSearchParams();
            FILTERS.forEach(name => { if (inputs[name].value.trim()) params.set(name, inputs[name].value.trim()); });
            location.hash = '#/state/' + state + (params.toString() ? '?' + params.toString() : '');
        } }, Object.values(inputs), el('button', { type: 'submit', id: 'filter-apply' }, 'Filter'),
            Object.keys(filter).length ? el('a', { href: '#/state/' + state, id: 'filter-clear' }, 'Clear') : '');
        return form;
    }

    // --- bulk actions on everything matching a filter: count first, then confirm ---
    function bulkPanel(state, filter) {
        const actions = { INCOMING: ['hold', 'bounce', 'delete'], DEFERRED: ['requeue', 'hold', 'bounce', 'delete'],
            HOLD: ['release', 'requeue', 'bounce', 'delete'], BOUNCE: ['requeue', 'delete'], ARCHIVED: ['requeue', 'delete'], ACTIVE: [] }[state] || [];
        if (!actions.length) return el('p', { class: 'muted' }, 'ACTIVE messages are being delivered; bulk actions leave them alone.');
        const action = el('select', { id: 'bulk-action' }, actions.map(a => el('option', { value: a }, a)));
        const outcome = el('span', { id: 'bulk-count', class: 'muted' });
        const apply = el('button', { id: 'bulk-apply', class: 'primary', disabled: true }, 'Apply');
        const criteria = { state: state };
        if (filter.headerName) criteria.headers = { [filter.headerName]: filter.headerValue || '' };
        if (filter.olderThan) criteria.olderThan = filter.olderThan;
        if (filter.errorContains) criteria.errorContains = filter.errorContains;
        if (filter.destination) criteria.destination = filter.destination;
        let counted = null;
        action.addEventListener('change', () => { counted = null; apply.disabled = true; outcome.textContent = ''; });
        const count = el('button', { id: 'bulk-dry-run', onclick: () => write('bulk', 'POST', { action: action.value, filter: criteria, dryRun: true }).then(result => {
            counted = { action: action.value, filter: criteria, dryRun: false };
            outcome.textContent = quantity(result.matched, result.estimated) + ' message' + (result.matched === 1 ? '' : 's') + ' match'
                + (result.estimated ? ' (estimated from the oldest ones)' : '');
            apply.disabled = !session.canWrite || result.matched === 0;
            apply.textContent = action.value + ' ' + quantity(result.matched, result.estimated);
        }).catch(error => toast(error.message, true)) }, 'Count');
        apply.addEventListener('click', () => {
            if (!counted || !confirm(counted.action + ' every ' + state + ' message matching the filter? ' + outcome.textContent + '.')) return;
            write('bulk', 'POST', counted).then(result => {
                toast(counted.action + ': ' + quantity(result.changed) + ' of ' + quantity(result.matched, result.estimated) + ' changed');
                route();
            }).catch(error => toast(error.message, true));
        });
        return el('div', { class: 'bulk', id: 'bulk' }, el('h2', {}, 'Everything matching the filter'),
            el('div', { class: 'actions' }, action, count, outcome, session.canWrite ? apply : el('span', { class: 'muted' }, '(read-only)')));
    }

    // --- one message ---
    function showMessage(id) {
        main.replaceChildren(el('h1', {}, 'Message'), el('div', { id: 'message' }, el('p', { class: 'muted' }, 'Loading…')));
        api('messages/' + encodeURIComponent(id)).then(renderMessage).catch(error => {
            document.getElementById('message').replaceChildren(el('p', { class: 'muted' }, error.message));
        });
    }

    function renderMessage(m) {
        const facts = [['id', m.id], ['state', m.state], ['archived as', m.archivedAs], ['destination', m.destination], ['attempts', m.attempts + ' of ' + m.maxAttempts],
            ['next retry', time(m.nextRetry)], ['created', time(m.created)], ['updated', time(m.updated)], ['size', m.size + ' bytes'],
            ['priority', m.priority], ['retry policy', m.retryPolicy || 'default'], ['last error', m.lastError]];
        const list = el('dl', { id: 'facts' }, facts.filter(([, v]) => v !== null && v !== undefined)
            .flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-fact': k }, String(v))]));
        const headers = el('table', { id: 'headers' }, el('tbody', {}, Object.entries(m.headers)
            .map(([k, v]) => el('tr', {}, el('td', { class: 'mono' }, k), el('td', { class: 'mono' }, v)))));
        const parts = [list, el('h2', {}, 'Headers'), headers];
        if (session.canWrite) {
            const act = action => () => write('messages/' + encodeURIComponent(m.id) + '/actions', 'POST', { action: action })
                .then(updated => { toast(action + ': now ' + updated.state); renderMessage(updated); })
                .catch(error => toast(error.message, true));
            const policy = el('select', { id: 'retry-policy' }, el('option', { value: '' }, 'default policy'),
                (session.retryPolicies || []).map(name => el('option', { value: name, selected: name === m.retryPolicy }, name)));
            parts.push(el('h2', {}, 'Actions'), el('div', { class: 'actions' },
                ['hold', 'release', 'requeue', 'bounce'].map(action => el('button', { 'data-action': action, onclick: act(action) }, action)),
                el('button', { class: 'danger', 'data-action': 'delete', onclick: () => {
                    if (!confirm('Delete message ' + m.id + ' and its body?')) return;
                    write('messages/' + encodeURIComponent(m.id), 'DELETE')
                        .then(() => { toast('deleted ' + m.id); location.hash = '#/state/' + m.state; })
                        .catch(error => toast(error.message, true));
                } }, 'delete'),
                policy,
                el('button', { 'data-action': 'retry-policy', onclick: () => write('messages/' + encodeURIComponent(m.id) + '/actions', 'POST',
                    { action: 'retry-policy', retryPolicy: policy.value })
                    .then(updated => { toast('retry policy: ' + (updated.retryPolicy || 'default')); renderMessage(updated); })
                    .catch(error => toast(error.message, true)) }, 'set policy')));
        } else {
            parts.push(el('p', { class: 'muted', id: 'read-only' }, 'Read-only: actions are not available to you.'));
        }
        document.getElementById('message').replaceChildren(...parts);
    }

    // --- live updates ---
    function live() {
        const indicator = document.getElementById('live');
        const source = new EventSource('api/events');
        source.addEventListener('open', () => indicator.classList.add('on'));
        source.addEventListener('error', () => indicator.classList.remove('on'));
        source.addEventListener('overview', event => {
            const overview = JSON.parse(event.data);
            if (document.getElementById('overview')) renderOverview(overview);
            else {
                lastOverview = overview;
                updateNavCounts(overview.counts, overview.estimated);
                updateDestinationsBadge(overview.suspendedDestinations);
                renderDestinations(overview.suspendedDestinations);
            }
        });
    }

    api('session').then(s => {
        session = s;
        document.getElementById('who').textContent = (s.user ? s.user : 'not signed in') + (s.canWrite ? '' : ' · read-only');
        updateNavCounts({}, []);
        window.addEventListener('hashchange', route);
        route();
        live();
    }).catch(error => toast(error.message, true));
})();
