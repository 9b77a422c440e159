// Starts the rasa-webchat widget. /config.js (written by scripts/serve_web.py) sets
// window.ASSISTANT_CONFIG.socketUrl, the Rasa server's origin; without it the page
// expects Rasa behind the same origin (a reverse proxy forwarding /socket.io/).
(function () {
  "use strict";

  var config = window.ASSISTANT_CONFIG || {};
  var container = document.getElementById("webchat");
  var chat = null; // the widget's handle: sendMessage(payload, shownText)
  var connected = false;
  var pending = null; // a page button clicked before the socket was ready

  window.WebChat.default(
    {
      socketUrl: config.socketUrl || window.location.origin,
      socketPath: "/socket.io/",
      initPayload: "/greet",
      title: "Assistant Auchan Télécom",
      subtitle: "Portabilité, commande, espace client",
      inputTextFieldHint: "Écrivez votre message…",
      connectingText: "Connexion perdue, reconnexion…",
      hideWhenNotConnected: false, // keep the chat and say the connection is lost
      withRules: false, // no page rules pushed by the server
      showFullScreenButton: false,
      mainColor: "#e2001a",
      userBackgroundColor: "#e2001a",
      userTextColor: "#ffffff",
      params: { storage: "local" }, // history and session id survive a reload
      customMessageDelay: function (message) {
        return Math.min(250 + message.length * 5, 1200);
      },
      onSocketEvent: {
        // Runs after the widget's own handler: it has a session id by now.
        session_confirm: function () {
          connected = true;
          if (pending) setTimeout(ask, 0, pending);
        },
        disconnect: function () { connected = false; },
      },
      innerRef: function (handle) { chat = handle; },
    },
    container
  );

  function isOpen() {
    return container.querySelector(".rw-widget-container.rw-chat-open") !== null;
  }

  function open() {
    var launcher = container.querySelector(".rw-launcher");
    if (!isOpen() && launcher) launcher.click();
  }

  // A page button starts its flow in the chat. Before the socket is ready the chat
  // stays closed (opened, it would send the greeting), unless that takes too long.
  var openAnyway = null;
  function ask(button) {
    if (!(chat && connected)) {
      pending = button;
      clearTimeout(openAnyway);
      openAnyway = setTimeout(open, 3000);
      return;
    }
    pending = null;
    clearTimeout(openAnyway);
    chat.sendMessage(button.dataset.ask, button.dataset.label || button.textContent);
    open();
  }
  document.querySelectorAll("[data-ask]").forEach(function (button) {
    button.addEventListener("click", function () { ask(button); });
  });

  // "Terminer la conversation": on a shared computer, forget this conversation in the
  // browser (the widget's session token and history). Without the token nobody can
  // reach the conversation again; the page starts a new one.
  function endConversation() {
    ["chat_session"].forEach(function (key) {
      window.localStorage.removeItem(key);
      window.sessionStorage.removeItem(key);
    });
    window.location.reload();
  }

  function addEndButton() {
    var header = container.querySelector(".rw-header");
    if (!header || header.querySelector(".end-chat")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "end-chat";
    button.textContent = "Terminer la conversation";
    button.title = "Efface cette conversation de ce navigateur (ordinateur partagé)";
    button.addEventListener("click", endConversation);
    header.appendChild(button);
  }

  // The widget renders quick replies as plain divs: make them reachable and usable
  // with the keyboard.
  function markReplies() {
    addEndButton();
    container.querySelectorAll(".rw-reply:not([tabindex])").forEach(function (reply) {
      reply.setAttribute("role", "button");
      reply.setAttribute("tabindex", "0");
    });
    var launcher = container.querySelector(".rw-launcher");
    if (launcher && !launcher.hasAttribute("aria-label")) {
      launcher.setAttribute("aria-label", "Ouvrir ou fermer l’assistant");
    }
  }
  new MutationObserver(markReplies).observe(container, { childList: true, subtree: true });
  container.addEventListener("keydown", function (event) {
    var reply = event.target.closest && event.target.closest(".rw-reply[role=button]");
    if (reply && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      reply.click();
    }
  });
})();
