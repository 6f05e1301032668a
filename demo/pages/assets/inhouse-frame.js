// The in-house EMR embedding Huren in iframe mode: the panel runs in an iframe on Huren's own
// origin, and this page talks to it only through HurenFrameHost (postMessage to that exact origin).
(function () {
  // The demo serves both sides from one server as two origins of one site: the EMR on
  // emr.demo.localhost, Huren on huren.demo.localhost (browsers resolve *.localhost to this
  // machine). Same site matters: browsers deny a cross-site iframe its IndexedDB.
  const EMR_HOST = 'emr.demo.localhost';
  if (location.hostname !== EMR_HOST) {
    const here = new URL(location.href);
    here.hostname = EMR_HOST;
    location.replace(here.href);
    return;
  }
  const hurenOrigin = location.protocol + '//huren.demo.localhost:' + location.port;
  const config = { fhirBaseUrl: hurenOrigin + '/fhir/R4', receivingInstitution: 'zj-rmyy', packs: [hurenOrigin + '/packs/demo.json'] };
  // ?consent=1: a hospital that requires the patient's consent (患者授权) before the platform is asked.
  if (new URLSearchParams(location.search).get('consent') === '1') config.consent = { required: true };
  const emr = window.InhouseEmr;
  const frame = window.HurenFrameHost.mountFrame(document.getElementById('huren'), {
    frameUrl: hurenOrigin + '/huren-frame/',
    context: null,
    config: config,
    onDecision: emr.receiveDecision,
    onInsertNote: emr.insertNote,
  });
  emr.start(function (context) { frame.update({ context: context }); });
})();
