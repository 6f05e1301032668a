(function () {
  'use strict';
  // Only the shell that framed us may tell us which patient is open.
  var parentOrigin = location.ancestorOrigins && location.ancestorOrigins[0];
  var row = document.getElementById('banner-row');
  var turn = 0;
  function cell(text, label) {
    var td = document.createElement('td');
    td.id = 'ext-gen' + Math.floor(1000 + Math.random() * 9000);
    if (label) td.className = 'x-label';
    td.textContent = text;
    return td;
  }
  window.addEventListener('message', function (event) {
    if (event.source !== parent || event.origin !== parentOrigin) return;
    var p = event.data && event.data.patient;
    if (!p) return;
    var pairs = [['患者姓名：', p.name], ['性　别：', p.gender], ['年　龄：', p.age], ['身份证号：', p.idCard], ['门诊号：', p.visitNo]];
    // The columns are rearranged from one patient to the next (a user-configurable banner).
    turn++;
    var order = pairs.map(function (_, i) { return pairs[(i + turn) % pairs.length]; });
    row.replaceChildren();
    order.forEach(function (pair) { row.append(cell(pair[0], true), cell(pair[1], false)); });
  });
})();
