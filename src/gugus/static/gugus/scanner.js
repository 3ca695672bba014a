// The committee's check-in: the phone's camera reads the participant's QR code (jsQR,
// vendored) and submits its code through the page's form, which htmx posts; the same
// code is never sent twice in a row, so one scan is one check-in.
(function () {
  "use strict";
  function start(box) {
    var video = box.querySelector("#scanner-video");
    var canvas = box.querySelector("#scanner-canvas");
    var state = box.querySelector("#scanner-state");
    var form = box.querySelector("#checkin-form");
    var input = form.querySelector("input[name=token]");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    var last = "";
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      state.textContent = state.dataset.denied;
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        requestAnimationFrame(tick);
      })
      .catch(function () {
        state.textContent = state.dataset.denied;
      });
    function tick() {
      if (video.readyState === video.HAVE_ENOUGH_DATA) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(image.data, image.width, image.height, {
          inversionAttempts: "dontInvert",
        });
        if (found && found.data && found.data !== last) {
          last = found.data;
          input.value = found.data;
          form.requestSubmit();
        }
      }
      requestAnimationFrame(tick);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-scanner]");
    if (!box) return;
    box.querySelector("#scanner-start").addEventListener("click", function (event) {
      event.target.hidden = true;
      start(box);
    });
  });
})();
