// An in-house EMR embedding the Huren widget: it passes patient, orders and user as data.
(function () {
  const panel = document.getElementById('huren');
  const config = { fhirBaseUrl: location.origin + '/fhir/R4', receivingInstitution: 'zj-rmyy', packs: ['demo'] };
  const user = { physician: '王芳', department: '呼吸内科' };
  panel.options = { context: null, config: config, onDecision: function (d) { console.info('huren decision', d && d.uuid); } };

  fetch('/emr/api/patients').then((r) => r.json()).then((list) => {
    const queue = document.getElementById('queue');
    list.forEach((p, i) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = p.name + '　' + p.gender + '　' + p.age;
      b.addEventListener('click', () => {
        for (const el of queue.children) el.classList.toggle('active', el === li);
        panel.options = {
          config: config,
          context: {
            patient: { identifier: { system: 'urn:oid:2.16.156.10011.1.4', value: p.idCard }, name: p.name, gender: p.gender, age: p.age },
            orders: p.orders || [],
            user: user,
          },
        };
      });
      li.append(b);
      queue.append(li);
    });
    const wanted = new URLSearchParams(location.search).get('open');
    if (wanted !== null) queue.children[Number(wanted)].querySelector('button').click();
  });
})();
