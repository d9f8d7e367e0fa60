// Shrinks photos on the phone before they are sent: a 12-megapixel camera photo (4-8 MB) becomes
// a JPEG of at most 1600 px (~300 KB), so a report goes through on a weak mobile signal. Where the
// browser cannot (no canvas.toBlob or no DataTransfer to put the smaller files back), the photos
// are sent as taken; the form works the same without this script.
(function () {
  "use strict";
  var MAX = 1600, QUALITY = 0.8;
  // Our own "拍照或选择照片" button instead of the browser's, whose words follow the phone's UI
  // language; it says how many photos were chosen. Without this script the browser's shows.
  document.documentElement.classList.add("js");
  document.querySelectorAll(".file-pick input[type=file]").forEach(function (input) {
    var said = input.parentNode.querySelector(".picked");
    input.addEventListener("change", function () {
      if (said) said.textContent = input.files.length ? "已选 " + input.files.length + " 张照片" : "";
    });
  });
  if (!window.DataTransfer || !HTMLCanvasElement.prototype.toBlob || !window.URL) return;

  function shrink(file) {
    return new Promise(function (done) {
      if (!/^image\/(jpeg|png|webp|heic|heif)$/i.test(file.type) || file.size < 350000) return done(file);
      var img = new Image(), url = URL.createObjectURL(file);
      img.onload = function () {
        var scale = Math.min(1, MAX / Math.max(img.naturalWidth, img.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.naturalWidth * scale);
        canvas.height = Math.round(img.naturalHeight * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) return done(file);
          done(new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }));
        }, "image/jpeg", QUALITY);
      };
      img.onerror = function () { URL.revokeObjectURL(url); done(file); };
      img.src = url;
    });
  }

  function preview(box, files) {
    while (box.firstChild) box.removeChild(box.firstChild);
    files.forEach(function (f) {
      var img = document.createElement("img");
      img.src = URL.createObjectURL(f);
      img.alt = "";
      box.appendChild(img);
    });
  }

  document.querySelectorAll("form[data-shrink] input[type=file]").forEach(function (input) {
    var box = input.parentNode.querySelector(".previews");
    var form = input.form, button = form.querySelector("button[type=submit]");
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files);
      if (!files.length) return;
      button.disabled = true;
      Promise.all(files.map(shrink)).then(function (smaller) {
        try {
          var list = new DataTransfer();
          smaller.forEach(function (f) { list.items.add(f); });
          input.files = list.files;
        } catch (e) { smaller = files; }
        if (box) preview(box, smaller);
        input.dataset.shrunk = smaller.reduce(function (n, f) { return n + f.size; }, 0);
        button.disabled = false;
      });
    });
  });
})();
