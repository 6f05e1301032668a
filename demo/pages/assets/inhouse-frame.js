// The in-house EMR embedding Huren in iframe mode: the panel runs in an iframe on Huren's own
// origin, and this page talks to it only through HurenFrameHost (postMessage to that exact origin).
(function () {
  // The demo serves both sides from one server under two origins: the EMR on 127.0.0.1, Huren
  // on localhost (or the other way round), so the frame is really cross-origin.
  const huren = new URL(location.href);
  huren.hostname = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  const hurenOrigin = huren.origin;
  const config = { fhirBaseUrl: hurenOrigin + '/fhir/R4', receivingInstitution: 'zj-rmyy', packs: ['demo'] };
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
