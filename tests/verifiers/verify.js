// Checks one received request the way the seeds' own receivers do, with code that is not
// hookshape's. Reads `{"scheme", "secret", "headers", "body"}` from stdin (headers with
// lower-case names, body as the raw text received); exits 0 when the request verifies, 1 when
// it does not, 2 on bad input.
"use strict";

const crypto = require("crypto");
const CryptoJS = require("crypto-js");

// Famly (seed 000), as the seed writes it.
function verifySignature(payload, secret, expectedSignature) {
  return webhookDigest(payload, secret) === expectedSignature;
}

const webhookDigest = (payload, secret) => {
  const words = CryptoJS.HmacSHA256(payload, secret);
  return CryptoJS.enc.Hex.stringify(words);
};

// Firm App (seed 001), as the seed writes it: Express has parsed the JSON body into `req.body`.
function firmAppIsValid(req, secret) {
  const signature = crypto.createHmac("sha256", secret)
    .update(JSON.stringify(req.body.payload))
    .digest("hex");
  const isValid = signature === req.body.signature;
  return isValid;
}

function main(input) {
  const { scheme, secret, headers, body } = JSON.parse(input);
  switch (scheme) {
    case "famly":
      return verifySignature(body, secret, headers["x-famly-hmac"]);
    case "firm-app":
      return firmAppIsValid({ headers, body: JSON.parse(body) }, secret);
    default:
      throw new Error(`unknown scheme ${scheme}`);
  }
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  let ok;
  try {
    ok = main(input);
  } catch (e) {
    console.error(`verify.js: ${e.message}`);
    process.exit(2);
  }
  console.log(ok ? "valid" : "invalid");
  process.exit(ok ? 0 : 1);
});
