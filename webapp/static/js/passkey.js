/* VssID: passkeys with the browser's WebAuthn API. The server gives the options (JSON, binary
   values in base64url) and checks the answer; this script only converts between the two and
   the browser. On the sign-in page it also offers passkeys in the code field's autofill where
   the browser can (conditional mediation). */
(() => {
  const ceremony = document.querySelector("[data-passkey-create], [data-passkey-sign-in]");
  if (!ceremony) return;
  const creating = ceremony.hasAttribute("data-passkey-create");
  const button = ceremony.querySelector("[data-passkey-start]");
  const error = ceremony.querySelector("[data-passkey-error]");
  const headers = () => {
    const kept = document.body.getAttribute("hx-headers");
    return { "Content-Type": "application/json", ...(kept ? JSON.parse(kept) : {}) };
  };

  const toBytes = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  };
  const toText = (buffer) => {
    const bytes = new Uint8Array(buffer);
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };

  const show = (message) => {
    error.textContent = message;
    error.hidden = false;
  };

  const post = async (url, body) => {
    const response = await fetch(url, {
      method: "POST",
      headers: headers(),
      body: body === undefined ? "{}" : JSON.stringify(body),
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || response.statusText);
    return data;
  };

  const creationOptions = (options) => ({
    ...options,
    challenge: toBytes(options.challenge),
    user: { ...options.user, id: toBytes(options.user.id) },
    excludeCredentials: (options.excludeCredentials || []).map((c) => ({ ...c, id: toBytes(c.id) })),
  });
  const requestOptions = (options) => ({
    ...options,
    challenge: toBytes(options.challenge),
    allowCredentials: (options.allowCredentials || []).map((c) => ({ ...c, id: toBytes(c.id) })),
  });

  const created = (credential) => ({
    id: credential.id,
    rawId: toText(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: toText(credential.response.clientDataJSON),
      attestationObject: toText(credential.response.attestationObject),
      transports: credential.response.getTransports ? credential.response.getTransports() : [],
    },
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
  });
  const asserted = (credential) => ({
    id: credential.id,
    rawId: toText(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: toText(credential.response.clientDataJSON),
      authenticatorData: toText(credential.response.authenticatorData),
      signature: toText(credential.response.signature),
      userHandle: credential.response.userHandle ? toText(credential.response.userHandle) : undefined,
    },
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
  });

  let pending = null; // the autofill request, given up when the button is pressed

  const signIn = async (conditional) => {
    const options = requestOptions(await post(ceremony.dataset.options));
    if (pending) pending.abort();
    pending = new AbortController();
    const credential = await navigator.credentials.get({
      publicKey: options,
      signal: pending.signal,
      ...(conditional ? { mediation: "conditional" } : {}),
    });
    const data = await post(ceremony.dataset.save, asserted(credential));
    window.location.assign(data.next);
  };

  const create = async () => {
    const options = creationOptions(await post(ceremony.dataset.options));
    const credential = await navigator.credentials.create({ publicKey: options });
    const data = await post(ceremony.dataset.save, created(credential));
    window.location.assign(data.next);
  };

  const failed = (problem) => {
    if (problem && problem.name === "AbortError") return; // given up for the button
    const browserSaidNo = problem && (problem.name === "NotAllowedError" || problem.name === "InvalidStateError");
    show(browserSaidNo || !problem || !problem.message ? ceremony.dataset.cancelled : problem.message);
  };

  // A passkey belongs to the site's name (the relying party): opened under another name (an
  // address, a mirror), the page offers none rather than an error.
  const rpId = ceremony.dataset.rpId;
  const host = window.location.hostname;
  const ownName = rpId && (host === rpId || host.endsWith(`.${rpId}`));
  if (!ownName || !window.PublicKeyCredential || !navigator.credentials) {
    if (creating) show(ceremony.dataset.unsupported);
    if (button) button.disabled = true;
    return;
  }
  ceremony.hidden = false;
  button.addEventListener("click", () => {
    error.hidden = true;
    (creating ? create() : signIn(false)).catch(failed);
  });
  if (ceremony.hasAttribute("data-autofill") && PublicKeyCredential.isConditionalMediationAvailable) {
    PublicKeyCredential.isConditionalMediationAvailable().then((available) => {
      if (available) signIn(true).catch(failed);
    });
  }
})();
