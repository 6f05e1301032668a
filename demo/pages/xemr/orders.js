(function () {
  'use strict';
  var parentOrigin = location.ancestorOrigins && location.ancestorOrigins[0];
  var header = document.getElementById('grid-header');
  var body = document.getElementById('grid-body');
  var note = document.getElementById('ext-comp-1044');
  var select = document.getElementById('ext-comp-1020');
  var COLUMNS = [['name', '项目名称'], ['code', '项目编码'], ['status', '状态']];
  var columns = COLUMNS;
  var rows = [];
  var turn = 0;
  var gen = function () { return Math.floor(1000 + Math.random() * 9000); };

  function render() {
    header.replaceChildren();
    columns.forEach(function (c) {
      var h = document.createElement('div');
      h.className = 'x-column-header';
      h.setAttribute('role', 'columnheader');
      h.id = 'gridcolumn-' + gen();
      var inner = document.createElement('span');
      inner.className = 'x-column-header-text-inner';
      inner.textContent = c[1];
      h.append(inner);
      header.append(h);
    });
    body.replaceChildren();
    rows.forEach(function (r, i) {
      var t = document.createElement('table');
      t.className = 'x-grid-item';
      t.id = 'tableview-' + gen() + '-record-' + i;
      t.setAttribute('role', 'presentation');
      var tr = t.insertRow();
      tr.className = 'x-grid-row';
      tr.setAttribute('role', 'row');
      columns.forEach(function (c) {
        var td = tr.insertCell();
        td.className = 'x-grid-cell';
        td.setAttribute('role', 'gridcell');
        td.textContent = r[c[0]] || '';
      });
      body.append(t);
    });
  }

  window.addEventListener('message', function (event) {
    if (event.source !== parent || event.origin !== parentOrigin) return;
    var p = event.data && event.data.patient;
    if (!p) return;
    turn++;
    // The physician dragged the columns into another order since the last patient.
    columns = COLUMNS.map(function (_, i) { return COLUMNS[(i + turn) % COLUMNS.length]; });
    rows = (p.orders || []).map(function (o) { return { name: o.name, code: o.code || '', status: '待执行' }; });
    note.value = '';
    render();
  });
  document.getElementById('ext-gen-add').addEventListener('click', function () {
    var option = select.selectedOptions[0];
    rows.push({ name: option.textContent, code: option.value, status: '新开' });
    render();
  });
  render();
})();
