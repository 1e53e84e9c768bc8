/* PAT-2: the round page reads a checkpoint's QR code from a photo taken with the phone's
   camera (<input type=file capture=environment>), decodes it here with jsQR and posts the
   token; the server checks it belongs to a checkpoint of the round. No camera: type the code. */
(function () {
  "use strict";
  var form = document.querySelector("[data-qr-form]");
  if (!form || typeof window.jsQR !== "function") return;
  var camera = form.querySelector("[data-qr-camera]");
  var field = form.querySelector("[data-qr-code]");
  var unread = form.querySelector("[data-qr-unread]");
  var MAX = 1280; // a phone photo scaled down: enough for a code, fast to scan

  function pixels(source, width, height) {
    var scale = Math.min(1, MAX / Math.max(width, height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    var context = canvas.getContext("2d");
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    return context.getImageData(0, 0, canvas.width, canvas.height);
  }

  function decode(image) {
    var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
    if (code && code.data) {
      unread.hidden = true;
      field.value = code.data;
      form.requestSubmit ? form.requestSubmit() : form.submit();
    } else {
      unread.hidden = false;
    }
  }

  function load(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file).then(function (bitmap) {
        return pixels(bitmap, bitmap.width, bitmap.height);
      });
    }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        var img = new Image();
        img.onload = function () { resolve(pixels(img, img.naturalWidth, img.naturalHeight)); };
        img.onerror = reject;
        img.src = reader.result;
      };
      reader.onerror = reject;
      reader.readAsDataURL(file);
    });
  }

  function scan() {
    var file = camera.files && camera.files[0];
    if (!file) return;
    load(file).then(decode, function () { unread.hidden = false; });
  }

  camera.addEventListener("change", scan);
  // a photo taken on a slow phone before this script ran: its change event is gone, the file is not
  scan();
})();
