// The seed page's Node recipe, verbatim except the one fix the page needs: it assigns `secret_key`
// and then reads `secretKey`. A main feeds it the received webhook (parsed, as the recipe expects).
const crypto = require("crypto");
function verifyWebhookSignature(payload, headers) {
// The signature included in the request headers
signature = headers["x-real-id-signature"];
// The webhook private signing key you can find within the Real ID app settings
secretKey = process.env.REAL_ID_SIGNING_KEY;
// Compute the HMAC signature using the provided secret key and payload
const computedSignature = crypto
.createHmac("sha256", secretKey)
.update(JSON.stringify(payload))
.digest("hex");
// Compare the computed signature with the one included in the request headers
if (computedSignature === signature) {
console.log("Webhook signature is valid");
} else {
console.log("Webhook signature is invalid");
}
}

const received = JSON.parse(require("fs").readFileSync(0, "utf8"));
verifyWebhookSignature(JSON.parse(received.body), received.headers);
