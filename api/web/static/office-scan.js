/* The counter's camera: read a resident's pickup QR into the code field and send the form.
   Only where the browser can (BarcodeDetector and a camera); otherwise the field is typed or a
   USB scanner types into it, and the page works as it does without JavaScript. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-scan]");
  if (!form || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var field = form.querySelector("#pickupCode");
  var button = document.createElement("button");
  button.type = "button";
  button.className = "plain";
  button.textContent = "用摄像头扫领取码";
  var video = document.createElement("video");
  video.setAttribute("playsinline", "");
  video.muted = true;
  video.hidden = true;
  video.style.width = "100%";
  form.insertBefore(video, field.parentNode.nextSibling);
  form.insertBefore(button, video);
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      button.disabled = true;
      return video.play().then(function () {
        var look = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stream.getTracks().forEach(function (t) { t.stop(); });
              field.value = codes[0].rawValue.trim();
              form.submit();
            } else {
              window.requestAnimationFrame(look);
            }
          }, function () { window.requestAnimationFrame(look); });
        };
        look();
      });
    }).catch(function () {
      button.textContent = "无法打开摄像头，请直接输入领取码";
    });
  });
})();
