var Po = { exports: {} }, gr = {}, zo = { exports: {} }, K = {};
var Ta;
function $f() {
  if (Ta) return K;
  Ta = 1;
  var m = /* @__PURE__ */ Symbol.for("react.element"), v = /* @__PURE__ */ Symbol.for("react.portal"), c = /* @__PURE__ */ Symbol.for("react.fragment"), S = /* @__PURE__ */ Symbol.for("react.strict_mode"), j = /* @__PURE__ */ Symbol.for("react.profiler"), P = /* @__PURE__ */ Symbol.for("react.provider"), $ = /* @__PURE__ */ Symbol.for("react.context"), N = /* @__PURE__ */ Symbol.for("react.forward_ref"), D = /* @__PURE__ */ Symbol.for("react.suspense"), O = /* @__PURE__ */ Symbol.for("react.memo"), V = /* @__PURE__ */ Symbol.for("react.lazy"), W = Symbol.iterator;
  function H(f) {
    return f === null || typeof f != "object" ? null : (f = W && f[W] || f["@@iterator"], typeof f == "function" ? f : null);
  }
  var ee = { isMounted: function() {
    return !1;
  }, enqueueForceUpdate: function() {
  }, enqueueReplaceState: function() {
  }, enqueueSetState: function() {
  } }, we = Object.assign, Z = {};
  function te(f, g, Q) {
    this.props = f, this.context = g, this.refs = Z, this.updater = Q || ee;
  }
  te.prototype.isReactComponent = {}, te.prototype.setState = function(f, g) {
    if (typeof f != "object" && typeof f != "function" && f != null) throw Error("setState(...): takes an object of state variables to update or a function which returns an object of state variables.");
    this.updater.enqueueSetState(this, f, g, "setState");
  }, te.prototype.forceUpdate = function(f) {
    this.updater.enqueueForceUpdate(this, f, "forceUpdate");
  };
  function tt() {
  }
  tt.prototype = te.prototype;
  function Ve(f, g, Q) {
    this.props = f, this.context = g, this.refs = Z, this.updater = Q || ee;
  }
  var ke = Ve.prototype = new tt();
  ke.constructor = Ve, we(ke, te.prototype), ke.isPureReactComponent = !0;
  var Se = Array.isArray, We = Object.prototype.hasOwnProperty, Te = { current: null }, Ie = { key: !0, ref: !0, __self: !0, __source: !0 };
  function $e(f, g, Q) {
    var Y, q = {}, J = null, ie = null;
    if (g != null) for (Y in g.ref !== void 0 && (ie = g.ref), g.key !== void 0 && (J = "" + g.key), g) We.call(g, Y) && !Ie.hasOwnProperty(Y) && (q[Y] = g[Y]);
    var re = arguments.length - 2;
    if (re === 1) q.children = Q;
    else if (1 < re) {
      for (var ae = Array(re), Ze = 0; Ze < re; Ze++) ae[Ze] = arguments[Ze + 2];
      q.children = ae;
    }
    if (f && f.defaultProps) for (Y in re = f.defaultProps, re) q[Y] === void 0 && (q[Y] = re[Y]);
    return { $$typeof: m, type: f, key: J, ref: ie, props: q, _owner: Te.current };
  }
  function nt(f, g) {
    return { $$typeof: m, type: f.type, key: g, ref: f.ref, props: f.props, _owner: f._owner };
  }
  function I(f) {
    return typeof f == "object" && f !== null && f.$$typeof === m;
  }
  function X(f) {
    var g = { "=": "=0", ":": "=2" };
    return "$" + f.replace(/[=:]/g, function(Q) {
      return g[Q];
    });
  }
  var ye = /\/+/g;
  function xe(f, g) {
    return typeof f == "object" && f !== null && f.key != null ? X("" + f.key) : g.toString(36);
  }
  function Ee(f, g, Q, Y, q) {
    var J = typeof f;
    (J === "undefined" || J === "boolean") && (f = null);
    var ie = !1;
    if (f === null) ie = !0;
    else switch (J) {
      case "string":
      case "number":
        ie = !0;
        break;
      case "object":
        switch (f.$$typeof) {
          case m:
          case v:
            ie = !0;
        }
    }
    if (ie) return ie = f, q = q(ie), f = Y === "" ? "." + xe(ie, 0) : Y, Se(q) ? (Q = "", f != null && (Q = f.replace(ye, "$&/") + "/"), Ee(q, g, Q, "", function(Ze) {
      return Ze;
    })) : q != null && (I(q) && (q = nt(q, Q + (!q.key || ie && ie.key === q.key ? "" : ("" + q.key).replace(ye, "$&/") + "/") + f)), g.push(q)), 1;
    if (ie = 0, Y = Y === "" ? "." : Y + ":", Se(f)) for (var re = 0; re < f.length; re++) {
      J = f[re];
      var ae = Y + xe(J, re);
      ie += Ee(J, g, Q, ae, q);
    }
    else if (ae = H(f), typeof ae == "function") for (f = ae.call(f), re = 0; !(J = f.next()).done; ) J = J.value, ae = Y + xe(J, re++), ie += Ee(J, g, Q, ae, q);
    else if (J === "object") throw g = String(f), Error("Objects are not valid as a React child (found: " + (g === "[object Object]" ? "object with keys {" + Object.keys(f).join(", ") + "}" : g) + "). If you meant to render a collection of children, use an array instead.");
    return ie;
  }
  function Me(f, g, Q) {
    if (f == null) return f;
    var Y = [], q = 0;
    return Ee(f, Y, "", "", function(J) {
      return g.call(Q, J, q++);
    }), Y;
  }
  function Le(f) {
    if (f._status === -1) {
      var g = f._result;
      g = g(), g.then(function(Q) {
        (f._status === 0 || f._status === -1) && (f._status = 1, f._result = Q);
      }, function(Q) {
        (f._status === 0 || f._status === -1) && (f._status = 2, f._result = Q);
      }), f._status === -1 && (f._status = 0, f._result = g);
    }
    if (f._status === 1) return f._result.default;
    throw f._result;
  }
  var ne = { current: null }, E = { transition: null }, A = { ReactCurrentDispatcher: ne, ReactCurrentBatchConfig: E, ReactCurrentOwner: Te };
  function T() {
    throw Error("act(...) is not supported in production builds of React.");
  }
  return K.Children = { map: Me, forEach: function(f, g, Q) {
    Me(f, function() {
      g.apply(this, arguments);
    }, Q);
  }, count: function(f) {
    var g = 0;
    return Me(f, function() {
      g++;
    }), g;
  }, toArray: function(f) {
    return Me(f, function(g) {
      return g;
    }) || [];
  }, only: function(f) {
    if (!I(f)) throw Error("React.Children.only expected to receive a single React element child.");
    return f;
  } }, K.Component = te, K.Fragment = c, K.Profiler = j, K.PureComponent = Ve, K.StrictMode = S, K.Suspense = D, K.__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED = A, K.act = T, K.cloneElement = function(f, g, Q) {
    if (f == null) throw Error("React.cloneElement(...): The argument must be a React element, but you passed " + f + ".");
    var Y = we({}, f.props), q = f.key, J = f.ref, ie = f._owner;
    if (g != null) {
      if (g.ref !== void 0 && (J = g.ref, ie = Te.current), g.key !== void 0 && (q = "" + g.key), f.type && f.type.defaultProps) var re = f.type.defaultProps;
      for (ae in g) We.call(g, ae) && !Ie.hasOwnProperty(ae) && (Y[ae] = g[ae] === void 0 && re !== void 0 ? re[ae] : g[ae]);
    }
    var ae = arguments.length - 2;
    if (ae === 1) Y.children = Q;
    else if (1 < ae) {
      re = Array(ae);
      for (var Ze = 0; Ze < ae; Ze++) re[Ze] = arguments[Ze + 2];
      Y.children = re;
    }
    return { $$typeof: m, type: f.type, key: q, ref: J, props: Y, _owner: ie };
  }, K.createContext = function(f) {
    return f = { $$typeof: $, _currentValue: f, _currentValue2: f, _threadCount: 0, Provider: null, Consumer: null, _defaultValue: null, _globalName: null }, f.Provider = { $$typeof: P, _context: f }, f.Consumer = f;
  }, K.createElement = $e, K.createFactory = function(f) {
    var g = $e.bind(null, f);
    return g.type = f, g;
  }, K.createRef = function() {
    return { current: null };
  }, K.forwardRef = function(f) {
    return { $$typeof: N, render: f };
  }, K.isValidElement = I, K.lazy = function(f) {
    return { $$typeof: V, _payload: { _status: -1, _result: f }, _init: Le };
  }, K.memo = function(f, g) {
    return { $$typeof: O, type: f, compare: g === void 0 ? null : g };
  }, K.startTransition = function(f) {
    var g = E.transition;
    E.transition = {};
    try {
      f();
    } finally {
      E.transition = g;
    }
  }, K.unstable_act = T, K.useCallback = function(f, g) {
    return ne.current.useCallback(f, g);
  }, K.useContext = function(f) {
    return ne.current.useContext(f);
  }, K.useDebugValue = function() {
  }, K.useDeferredValue = function(f) {
    return ne.current.useDeferredValue(f);
  }, K.useEffect = function(f, g) {
    return ne.current.useEffect(f, g);
  }, K.useId = function() {
    return ne.current.useId();
  }, K.useImperativeHandle = function(f, g, Q) {
    return ne.current.useImperativeHandle(f, g, Q);
  }, K.useInsertionEffect = function(f, g) {
    return ne.current.useInsertionEffect(f, g);
  }, K.useLayoutEffect = function(f, g) {
    return ne.current.useLayoutEffect(f, g);
  }, K.useMemo = function(f, g) {
    return ne.current.useMemo(f, g);
  }, K.useReducer = function(f, g, Q) {
    return ne.current.useReducer(f, g, Q);
  }, K.useRef = function(f) {
    return ne.current.useRef(f);
  }, K.useState = function(f) {
    return ne.current.useState(f);
  }, K.useSyncExternalStore = function(f, g, Q) {
    return ne.current.useSyncExternalStore(f, g, Q);
  }, K.useTransition = function() {
    return ne.current.useTransition();
  }, K.version = "18.3.1", K;
}
var La;
function Io() {
  return La || (La = 1, zo.exports = $f()), zo.exports;
}
var ja;
function Af() {
  if (ja) return gr;
  ja = 1;
  var m = Io(), v = /* @__PURE__ */ Symbol.for("react.element"), c = /* @__PURE__ */ Symbol.for("react.fragment"), S = Object.prototype.hasOwnProperty, j = m.__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED.ReactCurrentOwner, P = { key: !0, ref: !0, __self: !0, __source: !0 };
  function $(N, D, O) {
    var V, W = {}, H = null, ee = null;
    O !== void 0 && (H = "" + O), D.key !== void 0 && (H = "" + D.key), D.ref !== void 0 && (ee = D.ref);
    for (V in D) S.call(D, V) && !P.hasOwnProperty(V) && (W[V] = D[V]);
    if (N && N.defaultProps) for (V in D = N.defaultProps, D) W[V] === void 0 && (W[V] = D[V]);
    return { $$typeof: v, type: N, key: H, ref: ee, props: W, _owner: j.current };
  }
  return gr.Fragment = c, gr.jsx = $, gr.jsxs = $, gr;
}
var Ra;
function Bf() {
  return Ra || (Ra = 1, Po.exports = Af()), Po.exports;
}
var _ = Bf(), Ll = {}, To = { exports: {} }, Ge = {}, Lo = { exports: {} }, jo = {};
var Ia;
function Vf() {
  return Ia || (Ia = 1, (function(m) {
    function v(E, A) {
      var T = E.length;
      E.push(A);
      e: for (; 0 < T; ) {
        var f = T - 1 >>> 1, g = E[f];
        if (0 < j(g, A)) E[f] = A, E[T] = g, T = f;
        else break e;
      }
    }
    function c(E) {
      return E.length === 0 ? null : E[0];
    }
    function S(E) {
      if (E.length === 0) return null;
      var A = E[0], T = E.pop();
      if (T !== A) {
        E[0] = T;
        e: for (var f = 0, g = E.length, Q = g >>> 1; f < Q; ) {
          var Y = 2 * (f + 1) - 1, q = E[Y], J = Y + 1, ie = E[J];
          if (0 > j(q, T)) J < g && 0 > j(ie, q) ? (E[f] = ie, E[J] = T, f = J) : (E[f] = q, E[Y] = T, f = Y);
          else if (J < g && 0 > j(ie, T)) E[f] = ie, E[J] = T, f = J;
          else break e;
        }
      }
      return A;
    }
    function j(E, A) {
      var T = E.sortIndex - A.sortIndex;
      return T !== 0 ? T : E.id - A.id;
    }
    if (typeof performance == "object" && typeof performance.now == "function") {
      var P = performance;
      m.unstable_now = function() {
        return P.now();
      };
    } else {
      var $ = Date, N = $.now();
      m.unstable_now = function() {
        return $.now() - N;
      };
    }
    var D = [], O = [], V = 1, W = null, H = 3, ee = !1, we = !1, Z = !1, te = typeof setTimeout == "function" ? setTimeout : null, tt = typeof clearTimeout == "function" ? clearTimeout : null, Ve = typeof setImmediate < "u" ? setImmediate : null;
    typeof navigator < "u" && navigator.scheduling !== void 0 && navigator.scheduling.isInputPending !== void 0 && navigator.scheduling.isInputPending.bind(navigator.scheduling);
    function ke(E) {
      for (var A = c(O); A !== null; ) {
        if (A.callback === null) S(O);
        else if (A.startTime <= E) S(O), A.sortIndex = A.expirationTime, v(D, A);
        else break;
        A = c(O);
      }
    }
    function Se(E) {
      if (Z = !1, ke(E), !we) if (c(D) !== null) we = !0, Le(We);
      else {
        var A = c(O);
        A !== null && ne(Se, A.startTime - E);
      }
    }
    function We(E, A) {
      we = !1, Z && (Z = !1, tt($e), $e = -1), ee = !0;
      var T = H;
      try {
        for (ke(A), W = c(D); W !== null && (!(W.expirationTime > A) || E && !X()); ) {
          var f = W.callback;
          if (typeof f == "function") {
            W.callback = null, H = W.priorityLevel;
            var g = f(W.expirationTime <= A);
            A = m.unstable_now(), typeof g == "function" ? W.callback = g : W === c(D) && S(D), ke(A);
          } else S(D);
          W = c(D);
        }
        if (W !== null) var Q = !0;
        else {
          var Y = c(O);
          Y !== null && ne(Se, Y.startTime - A), Q = !1;
        }
        return Q;
      } finally {
        W = null, H = T, ee = !1;
      }
    }
    var Te = !1, Ie = null, $e = -1, nt = 5, I = -1;
    function X() {
      return !(m.unstable_now() - I < nt);
    }
    function ye() {
      if (Ie !== null) {
        var E = m.unstable_now();
        I = E;
        var A = !0;
        try {
          A = Ie(!0, E);
        } finally {
          A ? xe() : (Te = !1, Ie = null);
        }
      } else Te = !1;
    }
    var xe;
    if (typeof Ve == "function") xe = function() {
      Ve(ye);
    };
    else if (typeof MessageChannel < "u") {
      var Ee = new MessageChannel(), Me = Ee.port2;
      Ee.port1.onmessage = ye, xe = function() {
        Me.postMessage(null);
      };
    } else xe = function() {
      te(ye, 0);
    };
    function Le(E) {
      Ie = E, Te || (Te = !0, xe());
    }
    function ne(E, A) {
      $e = te(function() {
        E(m.unstable_now());
      }, A);
    }
    m.unstable_IdlePriority = 5, m.unstable_ImmediatePriority = 1, m.unstable_LowPriority = 4, m.unstable_NormalPriority = 3, m.unstable_Profiling = null, m.unstable_UserBlockingPriority = 2, m.unstable_cancelCallback = function(E) {
      E.callback = null;
    }, m.unstable_continueExecution = function() {
      we || ee || (we = !0, Le(We));
    }, m.unstable_forceFrameRate = function(E) {
      0 > E || 125 < E ? console.error("forceFrameRate takes a positive int between 0 and 125, forcing frame rates higher than 125 fps is not supported") : nt = 0 < E ? Math.floor(1e3 / E) : 5;
    }, m.unstable_getCurrentPriorityLevel = function() {
      return H;
    }, m.unstable_getFirstCallbackNode = function() {
      return c(D);
    }, m.unstable_next = function(E) {
      switch (H) {
        case 1:
        case 2:
        case 3:
          var A = 3;
          break;
        default:
          A = H;
      }
      var T = H;
      H = A;
      try {
        return E();
      } finally {
        H = T;
      }
    }, m.unstable_pauseExecution = function() {
    }, m.unstable_requestPaint = function() {
    }, m.unstable_runWithPriority = function(E, A) {
      switch (E) {
        case 1:
        case 2:
        case 3:
        case 4:
        case 5:
          break;
        default:
          E = 3;
      }
      var T = H;
      H = E;
      try {
        return A();
      } finally {
        H = T;
      }
    }, m.unstable_scheduleCallback = function(E, A, T) {
      var f = m.unstable_now();
      switch (typeof T == "object" && T !== null ? (T = T.delay, T = typeof T == "number" && 0 < T ? f + T : f) : T = f, E) {
        case 1:
          var g = -1;
          break;
        case 2:
          g = 250;
          break;
        case 5:
          g = 1073741823;
          break;
        case 4:
          g = 1e4;
          break;
        default:
          g = 5e3;
      }
      return g = T + g, E = { id: V++, callback: A, priorityLevel: E, startTime: T, expirationTime: g, sortIndex: -1 }, T > f ? (E.sortIndex = T, v(O, E), c(D) === null && E === c(O) && (Z ? (tt($e), $e = -1) : Z = !0, ne(Se, T - f))) : (E.sortIndex = g, v(D, E), we || ee || (we = !0, Le(We))), E;
    }, m.unstable_shouldYield = X, m.unstable_wrapCallback = function(E) {
      var A = H;
      return function() {
        var T = H;
        H = A;
        try {
          return E.apply(this, arguments);
        } finally {
          H = T;
        }
      };
    };
  })(jo)), jo;
}
var Ma;
function Wf() {
  return Ma || (Ma = 1, Lo.exports = Vf()), Lo.exports;
}
var Oa;
function Hf() {
  if (Oa) return Ge;
  Oa = 1;
  var m = Io(), v = Wf();
  function c(e) {
    for (var t = "https://reactjs.org/docs/error-decoder.html?invariant=" + e, n = 1; n < arguments.length; n++) t += "&args[]=" + encodeURIComponent(arguments[n]);
    return "Minified React error #" + e + "; visit " + t + " for the full message or use the non-minified dev environment for full errors and additional helpful warnings.";
  }
  var S = /* @__PURE__ */ new Set(), j = {};
  function P(e, t) {
    $(e, t), $(e + "Capture", t);
  }
  function $(e, t) {
    for (j[e] = t, e = 0; e < t.length; e++) S.add(t[e]);
  }
  var N = !(typeof window > "u" || typeof window.document > "u" || typeof window.document.createElement > "u"), D = Object.prototype.hasOwnProperty, O = /^[:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD][:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\-.0-9\u00B7\u0300-\u036F\u203F-\u2040]*$/, V = {}, W = {};
  function H(e) {
    return D.call(W, e) ? !0 : D.call(V, e) ? !1 : O.test(e) ? W[e] = !0 : (V[e] = !0, !1);
  }
  function ee(e, t, n, r) {
    if (n !== null && n.type === 0) return !1;
    switch (typeof t) {
      case "function":
      case "symbol":
        return !0;
      case "boolean":
        return r ? !1 : n !== null ? !n.acceptsBooleans : (e = e.toLowerCase().slice(0, 5), e !== "data-" && e !== "aria-");
      default:
        return !1;
    }
  }
  function we(e, t, n, r) {
    if (t === null || typeof t > "u" || ee(e, t, n, r)) return !0;
    if (r) return !1;
    if (n !== null) switch (n.type) {
      case 3:
        return !t;
      case 4:
        return t === !1;
      case 5:
        return isNaN(t);
      case 6:
        return isNaN(t) || 1 > t;
    }
    return !1;
  }
  function Z(e, t, n, r, l, i, o) {
    this.acceptsBooleans = t === 2 || t === 3 || t === 4, this.attributeName = r, this.attributeNamespace = l, this.mustUseProperty = n, this.propertyName = e, this.type = t, this.sanitizeURL = i, this.removeEmptyString = o;
  }
  var te = {};
  "children dangerouslySetInnerHTML defaultValue defaultChecked innerHTML suppressContentEditableWarning suppressHydrationWarning style".split(" ").forEach(function(e) {
    te[e] = new Z(e, 0, !1, e, null, !1, !1);
  }), [["acceptCharset", "accept-charset"], ["className", "class"], ["htmlFor", "for"], ["httpEquiv", "http-equiv"]].forEach(function(e) {
    var t = e[0];
    te[t] = new Z(t, 1, !1, e[1], null, !1, !1);
  }), ["contentEditable", "draggable", "spellCheck", "value"].forEach(function(e) {
    te[e] = new Z(e, 2, !1, e.toLowerCase(), null, !1, !1);
  }), ["autoReverse", "externalResourcesRequired", "focusable", "preserveAlpha"].forEach(function(e) {
    te[e] = new Z(e, 2, !1, e, null, !1, !1);
  }), "allowFullScreen async autoFocus autoPlay controls default defer disabled disablePictureInPicture disableRemotePlayback formNoValidate hidden loop noModule noValidate open playsInline readOnly required reversed scoped seamless itemScope".split(" ").forEach(function(e) {
    te[e] = new Z(e, 3, !1, e.toLowerCase(), null, !1, !1);
  }), ["checked", "multiple", "muted", "selected"].forEach(function(e) {
    te[e] = new Z(e, 3, !0, e, null, !1, !1);
  }), ["capture", "download"].forEach(function(e) {
    te[e] = new Z(e, 4, !1, e, null, !1, !1);
  }), ["cols", "rows", "size", "span"].forEach(function(e) {
    te[e] = new Z(e, 6, !1, e, null, !1, !1);
  }), ["rowSpan", "start"].forEach(function(e) {
    te[e] = new Z(e, 5, !1, e.toLowerCase(), null, !1, !1);
  });
  var tt = /[\-:]([a-z])/g;
  function Ve(e) {
    return e[1].toUpperCase();
  }
  "accent-height alignment-baseline arabic-form baseline-shift cap-height clip-path clip-rule color-interpolation color-interpolation-filters color-profile color-rendering dominant-baseline enable-background fill-opacity fill-rule flood-color flood-opacity font-family font-size font-size-adjust font-stretch font-style font-variant font-weight glyph-name glyph-orientation-horizontal glyph-orientation-vertical horiz-adv-x horiz-origin-x image-rendering letter-spacing lighting-color marker-end marker-mid marker-start overline-position overline-thickness paint-order panose-1 pointer-events rendering-intent shape-rendering stop-color stop-opacity strikethrough-position strikethrough-thickness stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin stroke-miterlimit stroke-opacity stroke-width text-anchor text-decoration text-rendering underline-position underline-thickness unicode-bidi unicode-range units-per-em v-alphabetic v-hanging v-ideographic v-mathematical vector-effect vert-adv-y vert-origin-x vert-origin-y word-spacing writing-mode xmlns:xlink x-height".split(" ").forEach(function(e) {
    var t = e.replace(
      tt,
      Ve
    );
    te[t] = new Z(t, 1, !1, e, null, !1, !1);
  }), "xlink:actuate xlink:arcrole xlink:role xlink:show xlink:title xlink:type".split(" ").forEach(function(e) {
    var t = e.replace(tt, Ve);
    te[t] = new Z(t, 1, !1, e, "http://www.w3.org/1999/xlink", !1, !1);
  }), ["xml:base", "xml:lang", "xml:space"].forEach(function(e) {
    var t = e.replace(tt, Ve);
    te[t] = new Z(t, 1, !1, e, "http://www.w3.org/XML/1998/namespace", !1, !1);
  }), ["tabIndex", "crossOrigin"].forEach(function(e) {
    te[e] = new Z(e, 1, !1, e.toLowerCase(), null, !1, !1);
  }), te.xlinkHref = new Z("xlinkHref", 1, !1, "xlink:href", "http://www.w3.org/1999/xlink", !0, !1), ["src", "href", "action", "formAction"].forEach(function(e) {
    te[e] = new Z(e, 1, !1, e.toLowerCase(), null, !0, !0);
  });
  function ke(e, t, n, r) {
    var l = te.hasOwnProperty(t) ? te[t] : null;
    (l !== null ? l.type !== 0 : r || !(2 < t.length) || t[0] !== "o" && t[0] !== "O" || t[1] !== "n" && t[1] !== "N") && (we(t, n, l, r) && (n = null), r || l === null ? H(t) && (n === null ? e.removeAttribute(t) : e.setAttribute(t, "" + n)) : l.mustUseProperty ? e[l.propertyName] = n === null ? l.type === 3 ? !1 : "" : n : (t = l.attributeName, r = l.attributeNamespace, n === null ? e.removeAttribute(t) : (l = l.type, n = l === 3 || l === 4 && n === !0 ? "" : "" + n, r ? e.setAttributeNS(r, t, n) : e.setAttribute(t, n))));
  }
  var Se = m.__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED, We = /* @__PURE__ */ Symbol.for("react.element"), Te = /* @__PURE__ */ Symbol.for("react.portal"), Ie = /* @__PURE__ */ Symbol.for("react.fragment"), $e = /* @__PURE__ */ Symbol.for("react.strict_mode"), nt = /* @__PURE__ */ Symbol.for("react.profiler"), I = /* @__PURE__ */ Symbol.for("react.provider"), X = /* @__PURE__ */ Symbol.for("react.context"), ye = /* @__PURE__ */ Symbol.for("react.forward_ref"), xe = /* @__PURE__ */ Symbol.for("react.suspense"), Ee = /* @__PURE__ */ Symbol.for("react.suspense_list"), Me = /* @__PURE__ */ Symbol.for("react.memo"), Le = /* @__PURE__ */ Symbol.for("react.lazy"), ne = /* @__PURE__ */ Symbol.for("react.offscreen"), E = Symbol.iterator;
  function A(e) {
    return e === null || typeof e != "object" ? null : (e = E && e[E] || e["@@iterator"], typeof e == "function" ? e : null);
  }
  var T = Object.assign, f;
  function g(e) {
    if (f === void 0) try {
      throw Error();
    } catch (n) {
      var t = n.stack.trim().match(/\n( *(at )?)/);
      f = t && t[1] || "";
    }
    return `
` + f + e;
  }
  var Q = !1;
  function Y(e, t) {
    if (!e || Q) return "";
    Q = !0;
    var n = Error.prepareStackTrace;
    Error.prepareStackTrace = void 0;
    try {
      if (t) if (t = function() {
        throw Error();
      }, Object.defineProperty(t.prototype, "props", { set: function() {
        throw Error();
      } }), typeof Reflect == "object" && Reflect.construct) {
        try {
          Reflect.construct(t, []);
        } catch (h) {
          var r = h;
        }
        Reflect.construct(e, [], t);
      } else {
        try {
          t.call();
        } catch (h) {
          r = h;
        }
        e.call(t.prototype);
      }
      else {
        try {
          throw Error();
        } catch (h) {
          r = h;
        }
        e();
      }
    } catch (h) {
      if (h && r && typeof h.stack == "string") {
        for (var l = h.stack.split(`
`), i = r.stack.split(`
`), o = l.length - 1, u = i.length - 1; 1 <= o && 0 <= u && l[o] !== i[u]; ) u--;
        for (; 1 <= o && 0 <= u; o--, u--) if (l[o] !== i[u]) {
          if (o !== 1 || u !== 1)
            do
              if (o--, u--, 0 > u || l[o] !== i[u]) {
                var s = `
` + l[o].replace(" at new ", " at ");
                return e.displayName && s.includes("<anonymous>") && (s = s.replace("<anonymous>", e.displayName)), s;
              }
            while (1 <= o && 0 <= u);
          break;
        }
      }
    } finally {
      Q = !1, Error.prepareStackTrace = n;
    }
    return (e = e ? e.displayName || e.name : "") ? g(e) : "";
  }
  function q(e) {
    switch (e.tag) {
      case 5:
        return g(e.type);
      case 16:
        return g("Lazy");
      case 13:
        return g("Suspense");
      case 19:
        return g("SuspenseList");
      case 0:
      case 2:
      case 15:
        return e = Y(e.type, !1), e;
      case 11:
        return e = Y(e.type.render, !1), e;
      case 1:
        return e = Y(e.type, !0), e;
      default:
        return "";
    }
  }
  function J(e) {
    if (e == null) return null;
    if (typeof e == "function") return e.displayName || e.name || null;
    if (typeof e == "string") return e;
    switch (e) {
      case Ie:
        return "Fragment";
      case Te:
        return "Portal";
      case nt:
        return "Profiler";
      case $e:
        return "StrictMode";
      case xe:
        return "Suspense";
      case Ee:
        return "SuspenseList";
    }
    if (typeof e == "object") switch (e.$$typeof) {
      case X:
        return (e.displayName || "Context") + ".Consumer";
      case I:
        return (e._context.displayName || "Context") + ".Provider";
      case ye:
        var t = e.render;
        return e = e.displayName, e || (e = t.displayName || t.name || "", e = e !== "" ? "ForwardRef(" + e + ")" : "ForwardRef"), e;
      case Me:
        return t = e.displayName || null, t !== null ? t : J(e.type) || "Memo";
      case Le:
        t = e._payload, e = e._init;
        try {
          return J(e(t));
        } catch {
        }
    }
    return null;
  }
  function ie(e) {
    var t = e.type;
    switch (e.tag) {
      case 24:
        return "Cache";
      case 9:
        return (t.displayName || "Context") + ".Consumer";
      case 10:
        return (t._context.displayName || "Context") + ".Provider";
      case 18:
        return "DehydratedFragment";
      case 11:
        return e = t.render, e = e.displayName || e.name || "", t.displayName || (e !== "" ? "ForwardRef(" + e + ")" : "ForwardRef");
      case 7:
        return "Fragment";
      case 5:
        return t;
      case 4:
        return "Portal";
      case 3:
        return "Root";
      case 6:
        return "Text";
      case 16:
        return J(t);
      case 8:
        return t === $e ? "StrictMode" : "Mode";
      case 22:
        return "Offscreen";
      case 12:
        return "Profiler";
      case 21:
        return "Scope";
      case 13:
        return "Suspense";
      case 19:
        return "SuspenseList";
      case 25:
        return "TracingMarker";
      case 1:
      case 0:
      case 17:
      case 2:
      case 14:
      case 15:
        if (typeof t == "function") return t.displayName || t.name || null;
        if (typeof t == "string") return t;
    }
    return null;
  }
  function re(e) {
    switch (typeof e) {
      case "boolean":
      case "number":
      case "string":
      case "undefined":
        return e;
      case "object":
        return e;
      default:
        return "";
    }
  }
  function ae(e) {
    var t = e.type;
    return (e = e.nodeName) && e.toLowerCase() === "input" && (t === "checkbox" || t === "radio");
  }
  function Ze(e) {
    var t = ae(e) ? "checked" : "value", n = Object.getOwnPropertyDescriptor(e.constructor.prototype, t), r = "" + e[t];
    if (!e.hasOwnProperty(t) && typeof n < "u" && typeof n.get == "function" && typeof n.set == "function") {
      var l = n.get, i = n.set;
      return Object.defineProperty(e, t, { configurable: !0, get: function() {
        return l.call(this);
      }, set: function(o) {
        r = "" + o, i.call(this, o);
      } }), Object.defineProperty(e, t, { enumerable: n.enumerable }), { getValue: function() {
        return r;
      }, setValue: function(o) {
        r = "" + o;
      }, stopTracking: function() {
        e._valueTracker = null, delete e[t];
      } };
    }
  }
  function kr(e) {
    e._valueTracker || (e._valueTracker = Ze(e));
  }
  function Oo(e) {
    if (!e) return !1;
    var t = e._valueTracker;
    if (!t) return !0;
    var n = t.getValue(), r = "";
    return e && (r = ae(e) ? e.checked ? "true" : "false" : e.value), e = r, e !== n ? (t.setValue(e), !0) : !1;
  }
  function Sr(e) {
    if (e = e || (typeof document < "u" ? document : void 0), typeof e > "u") return null;
    try {
      return e.activeElement || e.body;
    } catch {
      return e.body;
    }
  }
  function Il(e, t) {
    var n = t.checked;
    return T({}, t, { defaultChecked: void 0, defaultValue: void 0, value: void 0, checked: n ?? e._wrapperState.initialChecked });
  }
  function Do(e, t) {
    var n = t.defaultValue == null ? "" : t.defaultValue, r = t.checked != null ? t.checked : t.defaultChecked;
    n = re(t.value != null ? t.value : n), e._wrapperState = { initialChecked: r, initialValue: n, controlled: t.type === "checkbox" || t.type === "radio" ? t.checked != null : t.value != null };
  }
  function Fo(e, t) {
    t = t.checked, t != null && ke(e, "checked", t, !1);
  }
  function Ml(e, t) {
    Fo(e, t);
    var n = re(t.value), r = t.type;
    if (n != null) r === "number" ? (n === 0 && e.value === "" || e.value != n) && (e.value = "" + n) : e.value !== "" + n && (e.value = "" + n);
    else if (r === "submit" || r === "reset") {
      e.removeAttribute("value");
      return;
    }
    t.hasOwnProperty("value") ? Ol(e, t.type, n) : t.hasOwnProperty("defaultValue") && Ol(e, t.type, re(t.defaultValue)), t.checked == null && t.defaultChecked != null && (e.defaultChecked = !!t.defaultChecked);
  }
  function Uo(e, t, n) {
    if (t.hasOwnProperty("value") || t.hasOwnProperty("defaultValue")) {
      var r = t.type;
      if (!(r !== "submit" && r !== "reset" || t.value !== void 0 && t.value !== null)) return;
      t = "" + e._wrapperState.initialValue, n || t === e.value || (e.value = t), e.defaultValue = t;
    }
    n = e.name, n !== "" && (e.name = ""), e.defaultChecked = !!e._wrapperState.initialChecked, n !== "" && (e.name = n);
  }
  function Ol(e, t, n) {
    (t !== "number" || Sr(e.ownerDocument) !== e) && (n == null ? e.defaultValue = "" + e._wrapperState.initialValue : e.defaultValue !== "" + n && (e.defaultValue = "" + n));
  }
  var In = Array.isArray;
  function sn(e, t, n, r) {
    if (e = e.options, t) {
      t = {};
      for (var l = 0; l < n.length; l++) t["$" + n[l]] = !0;
      for (n = 0; n < e.length; n++) l = t.hasOwnProperty("$" + e[n].value), e[n].selected !== l && (e[n].selected = l), l && r && (e[n].defaultSelected = !0);
    } else {
      for (n = "" + re(n), t = null, l = 0; l < e.length; l++) {
        if (e[l].value === n) {
          e[l].selected = !0, r && (e[l].defaultSelected = !0);
          return;
        }
        t !== null || e[l].disabled || (t = e[l]);
      }
      t !== null && (t.selected = !0);
    }
  }
  function Dl(e, t) {
    if (t.dangerouslySetInnerHTML != null) throw Error(c(91));
    return T({}, t, { value: void 0, defaultValue: void 0, children: "" + e._wrapperState.initialValue });
  }
  function $o(e, t) {
    var n = t.value;
    if (n == null) {
      if (n = t.children, t = t.defaultValue, n != null) {
        if (t != null) throw Error(c(92));
        if (In(n)) {
          if (1 < n.length) throw Error(c(93));
          n = n[0];
        }
        t = n;
      }
      t == null && (t = ""), n = t;
    }
    e._wrapperState = { initialValue: re(n) };
  }
  function Ao(e, t) {
    var n = re(t.value), r = re(t.defaultValue);
    n != null && (n = "" + n, n !== e.value && (e.value = n), t.defaultValue == null && e.defaultValue !== n && (e.defaultValue = n)), r != null && (e.defaultValue = "" + r);
  }
  function Bo(e) {
    var t = e.textContent;
    t === e._wrapperState.initialValue && t !== "" && t !== null && (e.value = t);
  }
  function Vo(e) {
    switch (e) {
      case "svg":
        return "http://www.w3.org/2000/svg";
      case "math":
        return "http://www.w3.org/1998/Math/MathML";
      default:
        return "http://www.w3.org/1999/xhtml";
    }
  }
  function Fl(e, t) {
    return e == null || e === "http://www.w3.org/1999/xhtml" ? Vo(t) : e === "http://www.w3.org/2000/svg" && t === "foreignObject" ? "http://www.w3.org/1999/xhtml" : e;
  }
  var xr, Wo = (function(e) {
    return typeof MSApp < "u" && MSApp.execUnsafeLocalFunction ? function(t, n, r, l) {
      MSApp.execUnsafeLocalFunction(function() {
        return e(t, n, r, l);
      });
    } : e;
  })(function(e, t) {
    if (e.namespaceURI !== "http://www.w3.org/2000/svg" || "innerHTML" in e) e.innerHTML = t;
    else {
      for (xr = xr || document.createElement("div"), xr.innerHTML = "<svg>" + t.valueOf().toString() + "</svg>", t = xr.firstChild; e.firstChild; ) e.removeChild(e.firstChild);
      for (; t.firstChild; ) e.appendChild(t.firstChild);
    }
  });
  function Mn(e, t) {
    if (t) {
      var n = e.firstChild;
      if (n && n === e.lastChild && n.nodeType === 3) {
        n.nodeValue = t;
        return;
      }
    }
    e.textContent = t;
  }
  var On = {
    animationIterationCount: !0,
    aspectRatio: !0,
    borderImageOutset: !0,
    borderImageSlice: !0,
    borderImageWidth: !0,
    boxFlex: !0,
    boxFlexGroup: !0,
    boxOrdinalGroup: !0,
    columnCount: !0,
    columns: !0,
    flex: !0,
    flexGrow: !0,
    flexPositive: !0,
    flexShrink: !0,
    flexNegative: !0,
    flexOrder: !0,
    gridArea: !0,
    gridRow: !0,
    gridRowEnd: !0,
    gridRowSpan: !0,
    gridRowStart: !0,
    gridColumn: !0,
    gridColumnEnd: !0,
    gridColumnSpan: !0,
    gridColumnStart: !0,
    fontWeight: !0,
    lineClamp: !0,
    lineHeight: !0,
    opacity: !0,
    order: !0,
    orphans: !0,
    tabSize: !0,
    widows: !0,
    zIndex: !0,
    zoom: !0,
    fillOpacity: !0,
    floodOpacity: !0,
    stopOpacity: !0,
    strokeDasharray: !0,
    strokeDashoffset: !0,
    strokeMiterlimit: !0,
    strokeOpacity: !0,
    strokeWidth: !0
  }, Va = ["Webkit", "ms", "Moz", "O"];
  Object.keys(On).forEach(function(e) {
    Va.forEach(function(t) {
      t = t + e.charAt(0).toUpperCase() + e.substring(1), On[t] = On[e];
    });
  });
  function Ho(e, t, n) {
    return t == null || typeof t == "boolean" || t === "" ? "" : n || typeof t != "number" || t === 0 || On.hasOwnProperty(e) && On[e] ? ("" + t).trim() : t + "px";
  }
  function Qo(e, t) {
    e = e.style;
    for (var n in t) if (t.hasOwnProperty(n)) {
      var r = n.indexOf("--") === 0, l = Ho(n, t[n], r);
      n === "float" && (n = "cssFloat"), r ? e.setProperty(n, l) : e[n] = l;
    }
  }
  var Wa = T({ menuitem: !0 }, { area: !0, base: !0, br: !0, col: !0, embed: !0, hr: !0, img: !0, input: !0, keygen: !0, link: !0, meta: !0, param: !0, source: !0, track: !0, wbr: !0 });
  function Ul(e, t) {
    if (t) {
      if (Wa[e] && (t.children != null || t.dangerouslySetInnerHTML != null)) throw Error(c(137, e));
      if (t.dangerouslySetInnerHTML != null) {
        if (t.children != null) throw Error(c(60));
        if (typeof t.dangerouslySetInnerHTML != "object" || !("__html" in t.dangerouslySetInnerHTML)) throw Error(c(61));
      }
      if (t.style != null && typeof t.style != "object") throw Error(c(62));
    }
  }
  function $l(e, t) {
    if (e.indexOf("-") === -1) return typeof t.is == "string";
    switch (e) {
      case "annotation-xml":
      case "color-profile":
      case "font-face":
      case "font-face-src":
      case "font-face-uri":
      case "font-face-format":
      case "font-face-name":
      case "missing-glyph":
        return !1;
      default:
        return !0;
    }
  }
  var Al = null;
  function Bl(e) {
    return e = e.target || e.srcElement || window, e.correspondingUseElement && (e = e.correspondingUseElement), e.nodeType === 3 ? e.parentNode : e;
  }
  var Vl = null, an = null, cn = null;
  function Ko(e) {
    if (e = rr(e)) {
      if (typeof Vl != "function") throw Error(c(280));
      var t = e.stateNode;
      t && (t = Qr(t), Vl(e.stateNode, e.type, t));
    }
  }
  function Yo(e) {
    an ? cn ? cn.push(e) : cn = [e] : an = e;
  }
  function Xo() {
    if (an) {
      var e = an, t = cn;
      if (cn = an = null, Ko(e), t) for (e = 0; e < t.length; e++) Ko(t[e]);
    }
  }
  function Go(e, t) {
    return e(t);
  }
  function Zo() {
  }
  var Wl = !1;
  function qo(e, t, n) {
    if (Wl) return e(t, n);
    Wl = !0;
    try {
      return Go(e, t, n);
    } finally {
      Wl = !1, (an !== null || cn !== null) && (Zo(), Xo());
    }
  }
  function Dn(e, t) {
    var n = e.stateNode;
    if (n === null) return null;
    var r = Qr(n);
    if (r === null) return null;
    n = r[t];
    e: switch (t) {
      case "onClick":
      case "onClickCapture":
      case "onDoubleClick":
      case "onDoubleClickCapture":
      case "onMouseDown":
      case "onMouseDownCapture":
      case "onMouseMove":
      case "onMouseMoveCapture":
      case "onMouseUp":
      case "onMouseUpCapture":
      case "onMouseEnter":
        (r = !r.disabled) || (e = e.type, r = !(e === "button" || e === "input" || e === "select" || e === "textarea")), e = !r;
        break e;
      default:
        e = !1;
    }
    if (e) return null;
    if (n && typeof n != "function") throw Error(c(231, t, typeof n));
    return n;
  }
  var Hl = !1;
  if (N) try {
    var Fn = {};
    Object.defineProperty(Fn, "passive", { get: function() {
      Hl = !0;
    } }), window.addEventListener("test", Fn, Fn), window.removeEventListener("test", Fn, Fn);
  } catch {
    Hl = !1;
  }
  function Ha(e, t, n, r, l, i, o, u, s) {
    var h = Array.prototype.slice.call(arguments, 3);
    try {
      t.apply(n, h);
    } catch (w) {
      this.onError(w);
    }
  }
  var Un = !1, Er = null, _r = !1, Ql = null, Qa = { onError: function(e) {
    Un = !0, Er = e;
  } };
  function Ka(e, t, n, r, l, i, o, u, s) {
    Un = !1, Er = null, Ha.apply(Qa, arguments);
  }
  function Ya(e, t, n, r, l, i, o, u, s) {
    if (Ka.apply(this, arguments), Un) {
      if (Un) {
        var h = Er;
        Un = !1, Er = null;
      } else throw Error(c(198));
      _r || (_r = !0, Ql = h);
    }
  }
  function Xt(e) {
    var t = e, n = e;
    if (e.alternate) for (; t.return; ) t = t.return;
    else {
      e = t;
      do
        t = e, (t.flags & 4098) !== 0 && (n = t.return), e = t.return;
      while (e);
    }
    return t.tag === 3 ? n : null;
  }
  function Jo(e) {
    if (e.tag === 13) {
      var t = e.memoizedState;
      if (t === null && (e = e.alternate, e !== null && (t = e.memoizedState)), t !== null) return t.dehydrated;
    }
    return null;
  }
  function bo(e) {
    if (Xt(e) !== e) throw Error(c(188));
  }
  function Xa(e) {
    var t = e.alternate;
    if (!t) {
      if (t = Xt(e), t === null) throw Error(c(188));
      return t !== e ? null : e;
    }
    for (var n = e, r = t; ; ) {
      var l = n.return;
      if (l === null) break;
      var i = l.alternate;
      if (i === null) {
        if (r = l.return, r !== null) {
          n = r;
          continue;
        }
        break;
      }
      if (l.child === i.child) {
        for (i = l.child; i; ) {
          if (i === n) return bo(l), e;
          if (i === r) return bo(l), t;
          i = i.sibling;
        }
        throw Error(c(188));
      }
      if (n.return !== r.return) n = l, r = i;
      else {
        for (var o = !1, u = l.child; u; ) {
          if (u === n) {
            o = !0, n = l, r = i;
            break;
          }
          if (u === r) {
            o = !0, r = l, n = i;
            break;
          }
          u = u.sibling;
        }
        if (!o) {
          for (u = i.child; u; ) {
            if (u === n) {
              o = !0, n = i, r = l;
              break;
            }
            if (u === r) {
              o = !0, r = i, n = l;
              break;
            }
            u = u.sibling;
          }
          if (!o) throw Error(c(189));
        }
      }
      if (n.alternate !== r) throw Error(c(190));
    }
    if (n.tag !== 3) throw Error(c(188));
    return n.stateNode.current === n ? e : t;
  }
  function eu(e) {
    return e = Xa(e), e !== null ? tu(e) : null;
  }
  function tu(e) {
    if (e.tag === 5 || e.tag === 6) return e;
    for (e = e.child; e !== null; ) {
      var t = tu(e);
      if (t !== null) return t;
      e = e.sibling;
    }
    return null;
  }
  var nu = v.unstable_scheduleCallback, ru = v.unstable_cancelCallback, Ga = v.unstable_shouldYield, Za = v.unstable_requestPaint, he = v.unstable_now, qa = v.unstable_getCurrentPriorityLevel, Kl = v.unstable_ImmediatePriority, lu = v.unstable_UserBlockingPriority, Cr = v.unstable_NormalPriority, Ja = v.unstable_LowPriority, iu = v.unstable_IdlePriority, Nr = null, vt = null;
  function ba(e) {
    if (vt && typeof vt.onCommitFiberRoot == "function") try {
      vt.onCommitFiberRoot(Nr, e, void 0, (e.current.flags & 128) === 128);
    } catch {
    }
  }
  var at = Math.clz32 ? Math.clz32 : nc, ec = Math.log, tc = Math.LN2;
  function nc(e) {
    return e >>>= 0, e === 0 ? 32 : 31 - (ec(e) / tc | 0) | 0;
  }
  var Pr = 64, zr = 4194304;
  function $n(e) {
    switch (e & -e) {
      case 1:
        return 1;
      case 2:
        return 2;
      case 4:
        return 4;
      case 8:
        return 8;
      case 16:
        return 16;
      case 32:
        return 32;
      case 64:
      case 128:
      case 256:
      case 512:
      case 1024:
      case 2048:
      case 4096:
      case 8192:
      case 16384:
      case 32768:
      case 65536:
      case 131072:
      case 262144:
      case 524288:
      case 1048576:
      case 2097152:
        return e & 4194240;
      case 4194304:
      case 8388608:
      case 16777216:
      case 33554432:
      case 67108864:
        return e & 130023424;
      case 134217728:
        return 134217728;
      case 268435456:
        return 268435456;
      case 536870912:
        return 536870912;
      case 1073741824:
        return 1073741824;
      default:
        return e;
    }
  }
  function Tr(e, t) {
    var n = e.pendingLanes;
    if (n === 0) return 0;
    var r = 0, l = e.suspendedLanes, i = e.pingedLanes, o = n & 268435455;
    if (o !== 0) {
      var u = o & ~l;
      u !== 0 ? r = $n(u) : (i &= o, i !== 0 && (r = $n(i)));
    } else o = n & ~l, o !== 0 ? r = $n(o) : i !== 0 && (r = $n(i));
    if (r === 0) return 0;
    if (t !== 0 && t !== r && (t & l) === 0 && (l = r & -r, i = t & -t, l >= i || l === 16 && (i & 4194240) !== 0)) return t;
    if ((r & 4) !== 0 && (r |= n & 16), t = e.entangledLanes, t !== 0) for (e = e.entanglements, t &= r; 0 < t; ) n = 31 - at(t), l = 1 << n, r |= e[n], t &= ~l;
    return r;
  }
  function rc(e, t) {
    switch (e) {
      case 1:
      case 2:
      case 4:
        return t + 250;
      case 8:
      case 16:
      case 32:
      case 64:
      case 128:
      case 256:
      case 512:
      case 1024:
      case 2048:
      case 4096:
      case 8192:
      case 16384:
      case 32768:
      case 65536:
      case 131072:
      case 262144:
      case 524288:
      case 1048576:
      case 2097152:
        return t + 5e3;
      case 4194304:
      case 8388608:
      case 16777216:
      case 33554432:
      case 67108864:
        return -1;
      case 134217728:
      case 268435456:
      case 536870912:
      case 1073741824:
        return -1;
      default:
        return -1;
    }
  }
  function lc(e, t) {
    for (var n = e.suspendedLanes, r = e.pingedLanes, l = e.expirationTimes, i = e.pendingLanes; 0 < i; ) {
      var o = 31 - at(i), u = 1 << o, s = l[o];
      s === -1 ? ((u & n) === 0 || (u & r) !== 0) && (l[o] = rc(u, t)) : s <= t && (e.expiredLanes |= u), i &= ~u;
    }
  }
  function Yl(e) {
    return e = e.pendingLanes & -1073741825, e !== 0 ? e : e & 1073741824 ? 1073741824 : 0;
  }
  function ou() {
    var e = Pr;
    return Pr <<= 1, (Pr & 4194240) === 0 && (Pr = 64), e;
  }
  function Xl(e) {
    for (var t = [], n = 0; 31 > n; n++) t.push(e);
    return t;
  }
  function An(e, t, n) {
    e.pendingLanes |= t, t !== 536870912 && (e.suspendedLanes = 0, e.pingedLanes = 0), e = e.eventTimes, t = 31 - at(t), e[t] = n;
  }
  function ic(e, t) {
    var n = e.pendingLanes & ~t;
    e.pendingLanes = t, e.suspendedLanes = 0, e.pingedLanes = 0, e.expiredLanes &= t, e.mutableReadLanes &= t, e.entangledLanes &= t, t = e.entanglements;
    var r = e.eventTimes;
    for (e = e.expirationTimes; 0 < n; ) {
      var l = 31 - at(n), i = 1 << l;
      t[l] = 0, r[l] = -1, e[l] = -1, n &= ~i;
    }
  }
  function Gl(e, t) {
    var n = e.entangledLanes |= t;
    for (e = e.entanglements; n; ) {
      var r = 31 - at(n), l = 1 << r;
      l & t | e[r] & t && (e[r] |= t), n &= ~l;
    }
  }
  var le = 0;
  function uu(e) {
    return e &= -e, 1 < e ? 4 < e ? (e & 268435455) !== 0 ? 16 : 536870912 : 4 : 1;
  }
  var su, Zl, au, cu, fu, ql = !1, Lr = [], Tt = null, Lt = null, jt = null, Bn = /* @__PURE__ */ new Map(), Vn = /* @__PURE__ */ new Map(), Rt = [], oc = "mousedown mouseup touchcancel touchend touchstart auxclick dblclick pointercancel pointerdown pointerup dragend dragstart drop compositionend compositionstart keydown keypress keyup input textInput copy cut paste click change contextmenu reset submit".split(" ");
  function du(e, t) {
    switch (e) {
      case "focusin":
      case "focusout":
        Tt = null;
        break;
      case "dragenter":
      case "dragleave":
        Lt = null;
        break;
      case "mouseover":
      case "mouseout":
        jt = null;
        break;
      case "pointerover":
      case "pointerout":
        Bn.delete(t.pointerId);
        break;
      case "gotpointercapture":
      case "lostpointercapture":
        Vn.delete(t.pointerId);
    }
  }
  function Wn(e, t, n, r, l, i) {
    return e === null || e.nativeEvent !== i ? (e = { blockedOn: t, domEventName: n, eventSystemFlags: r, nativeEvent: i, targetContainers: [l] }, t !== null && (t = rr(t), t !== null && Zl(t)), e) : (e.eventSystemFlags |= r, t = e.targetContainers, l !== null && t.indexOf(l) === -1 && t.push(l), e);
  }
  function uc(e, t, n, r, l) {
    switch (t) {
      case "focusin":
        return Tt = Wn(Tt, e, t, n, r, l), !0;
      case "dragenter":
        return Lt = Wn(Lt, e, t, n, r, l), !0;
      case "mouseover":
        return jt = Wn(jt, e, t, n, r, l), !0;
      case "pointerover":
        var i = l.pointerId;
        return Bn.set(i, Wn(Bn.get(i) || null, e, t, n, r, l)), !0;
      case "gotpointercapture":
        return i = l.pointerId, Vn.set(i, Wn(Vn.get(i) || null, e, t, n, r, l)), !0;
    }
    return !1;
  }
  function pu(e) {
    var t = Gt(e.target);
    if (t !== null) {
      var n = Xt(t);
      if (n !== null) {
        if (t = n.tag, t === 13) {
          if (t = Jo(n), t !== null) {
            e.blockedOn = t, fu(e.priority, function() {
              au(n);
            });
            return;
          }
        } else if (t === 3 && n.stateNode.current.memoizedState.isDehydrated) {
          e.blockedOn = n.tag === 3 ? n.stateNode.containerInfo : null;
          return;
        }
      }
    }
    e.blockedOn = null;
  }
  function jr(e) {
    if (e.blockedOn !== null) return !1;
    for (var t = e.targetContainers; 0 < t.length; ) {
      var n = bl(e.domEventName, e.eventSystemFlags, t[0], e.nativeEvent);
      if (n === null) {
        n = e.nativeEvent;
        var r = new n.constructor(n.type, n);
        Al = r, n.target.dispatchEvent(r), Al = null;
      } else return t = rr(n), t !== null && Zl(t), e.blockedOn = n, !1;
      t.shift();
    }
    return !0;
  }
  function hu(e, t, n) {
    jr(e) && n.delete(t);
  }
  function sc() {
    ql = !1, Tt !== null && jr(Tt) && (Tt = null), Lt !== null && jr(Lt) && (Lt = null), jt !== null && jr(jt) && (jt = null), Bn.forEach(hu), Vn.forEach(hu);
  }
  function Hn(e, t) {
    e.blockedOn === t && (e.blockedOn = null, ql || (ql = !0, v.unstable_scheduleCallback(v.unstable_NormalPriority, sc)));
  }
  function Qn(e) {
    function t(l) {
      return Hn(l, e);
    }
    if (0 < Lr.length) {
      Hn(Lr[0], e);
      for (var n = 1; n < Lr.length; n++) {
        var r = Lr[n];
        r.blockedOn === e && (r.blockedOn = null);
      }
    }
    for (Tt !== null && Hn(Tt, e), Lt !== null && Hn(Lt, e), jt !== null && Hn(jt, e), Bn.forEach(t), Vn.forEach(t), n = 0; n < Rt.length; n++) r = Rt[n], r.blockedOn === e && (r.blockedOn = null);
    for (; 0 < Rt.length && (n = Rt[0], n.blockedOn === null); ) pu(n), n.blockedOn === null && Rt.shift();
  }
  var fn = Se.ReactCurrentBatchConfig, Rr = !0;
  function ac(e, t, n, r) {
    var l = le, i = fn.transition;
    fn.transition = null;
    try {
      le = 1, Jl(e, t, n, r);
    } finally {
      le = l, fn.transition = i;
    }
  }
  function cc(e, t, n, r) {
    var l = le, i = fn.transition;
    fn.transition = null;
    try {
      le = 4, Jl(e, t, n, r);
    } finally {
      le = l, fn.transition = i;
    }
  }
  function Jl(e, t, n, r) {
    if (Rr) {
      var l = bl(e, t, n, r);
      if (l === null) vi(e, t, r, Ir, n), du(e, r);
      else if (uc(l, e, t, n, r)) r.stopPropagation();
      else if (du(e, r), t & 4 && -1 < oc.indexOf(e)) {
        for (; l !== null; ) {
          var i = rr(l);
          if (i !== null && su(i), i = bl(e, t, n, r), i === null && vi(e, t, r, Ir, n), i === l) break;
          l = i;
        }
        l !== null && r.stopPropagation();
      } else vi(e, t, r, null, n);
    }
  }
  var Ir = null;
  function bl(e, t, n, r) {
    if (Ir = null, e = Bl(r), e = Gt(e), e !== null) if (t = Xt(e), t === null) e = null;
    else if (n = t.tag, n === 13) {
      if (e = Jo(t), e !== null) return e;
      e = null;
    } else if (n === 3) {
      if (t.stateNode.current.memoizedState.isDehydrated) return t.tag === 3 ? t.stateNode.containerInfo : null;
      e = null;
    } else t !== e && (e = null);
    return Ir = e, null;
  }
  function mu(e) {
    switch (e) {
      case "cancel":
      case "click":
      case "close":
      case "contextmenu":
      case "copy":
      case "cut":
      case "auxclick":
      case "dblclick":
      case "dragend":
      case "dragstart":
      case "drop":
      case "focusin":
      case "focusout":
      case "input":
      case "invalid":
      case "keydown":
      case "keypress":
      case "keyup":
      case "mousedown":
      case "mouseup":
      case "paste":
      case "pause":
      case "play":
      case "pointercancel":
      case "pointerdown":
      case "pointerup":
      case "ratechange":
      case "reset":
      case "resize":
      case "seeked":
      case "submit":
      case "touchcancel":
      case "touchend":
      case "touchstart":
      case "volumechange":
      case "change":
      case "selectionchange":
      case "textInput":
      case "compositionstart":
      case "compositionend":
      case "compositionupdate":
      case "beforeblur":
      case "afterblur":
      case "beforeinput":
      case "blur":
      case "fullscreenchange":
      case "focus":
      case "hashchange":
      case "popstate":
      case "select":
      case "selectstart":
        return 1;
      case "drag":
      case "dragenter":
      case "dragexit":
      case "dragleave":
      case "dragover":
      case "mousemove":
      case "mouseout":
      case "mouseover":
      case "pointermove":
      case "pointerout":
      case "pointerover":
      case "scroll":
      case "toggle":
      case "touchmove":
      case "wheel":
      case "mouseenter":
      case "mouseleave":
      case "pointerenter":
      case "pointerleave":
        return 4;
      case "message":
        switch (qa()) {
          case Kl:
            return 1;
          case lu:
            return 4;
          case Cr:
          case Ja:
            return 16;
          case iu:
            return 536870912;
          default:
            return 16;
        }
      default:
        return 16;
    }
  }
  var It = null, ei = null, Mr = null;
  function vu() {
    if (Mr) return Mr;
    var e, t = ei, n = t.length, r, l = "value" in It ? It.value : It.textContent, i = l.length;
    for (e = 0; e < n && t[e] === l[e]; e++) ;
    var o = n - e;
    for (r = 1; r <= o && t[n - r] === l[i - r]; r++) ;
    return Mr = l.slice(e, 1 < r ? 1 - r : void 0);
  }
  function Or(e) {
    var t = e.keyCode;
    return "charCode" in e ? (e = e.charCode, e === 0 && t === 13 && (e = 13)) : e = t, e === 10 && (e = 13), 32 <= e || e === 13 ? e : 0;
  }
  function Dr() {
    return !0;
  }
  function yu() {
    return !1;
  }
  function qe(e) {
    function t(n, r, l, i, o) {
      this._reactName = n, this._targetInst = l, this.type = r, this.nativeEvent = i, this.target = o, this.currentTarget = null;
      for (var u in e) e.hasOwnProperty(u) && (n = e[u], this[u] = n ? n(i) : i[u]);
      return this.isDefaultPrevented = (i.defaultPrevented != null ? i.defaultPrevented : i.returnValue === !1) ? Dr : yu, this.isPropagationStopped = yu, this;
    }
    return T(t.prototype, { preventDefault: function() {
      this.defaultPrevented = !0;
      var n = this.nativeEvent;
      n && (n.preventDefault ? n.preventDefault() : typeof n.returnValue != "unknown" && (n.returnValue = !1), this.isDefaultPrevented = Dr);
    }, stopPropagation: function() {
      var n = this.nativeEvent;
      n && (n.stopPropagation ? n.stopPropagation() : typeof n.cancelBubble != "unknown" && (n.cancelBubble = !0), this.isPropagationStopped = Dr);
    }, persist: function() {
    }, isPersistent: Dr }), t;
  }
  var dn = { eventPhase: 0, bubbles: 0, cancelable: 0, timeStamp: function(e) {
    return e.timeStamp || Date.now();
  }, defaultPrevented: 0, isTrusted: 0 }, ti = qe(dn), Kn = T({}, dn, { view: 0, detail: 0 }), fc = qe(Kn), ni, ri, Yn, Fr = T({}, Kn, { screenX: 0, screenY: 0, clientX: 0, clientY: 0, pageX: 0, pageY: 0, ctrlKey: 0, shiftKey: 0, altKey: 0, metaKey: 0, getModifierState: ii, button: 0, buttons: 0, relatedTarget: function(e) {
    return e.relatedTarget === void 0 ? e.fromElement === e.srcElement ? e.toElement : e.fromElement : e.relatedTarget;
  }, movementX: function(e) {
    return "movementX" in e ? e.movementX : (e !== Yn && (Yn && e.type === "mousemove" ? (ni = e.screenX - Yn.screenX, ri = e.screenY - Yn.screenY) : ri = ni = 0, Yn = e), ni);
  }, movementY: function(e) {
    return "movementY" in e ? e.movementY : ri;
  } }), gu = qe(Fr), dc = T({}, Fr, { dataTransfer: 0 }), pc = qe(dc), hc = T({}, Kn, { relatedTarget: 0 }), li = qe(hc), mc = T({}, dn, { animationName: 0, elapsedTime: 0, pseudoElement: 0 }), vc = qe(mc), yc = T({}, dn, { clipboardData: function(e) {
    return "clipboardData" in e ? e.clipboardData : window.clipboardData;
  } }), gc = qe(yc), wc = T({}, dn, { data: 0 }), wu = qe(wc), kc = {
    Esc: "Escape",
    Spacebar: " ",
    Left: "ArrowLeft",
    Up: "ArrowUp",
    Right: "ArrowRight",
    Down: "ArrowDown",
    Del: "Delete",
    Win: "OS",
    Menu: "ContextMenu",
    Apps: "ContextMenu",
    Scroll: "ScrollLock",
    MozPrintableKey: "Unidentified"
  }, Sc = {
    8: "Backspace",
    9: "Tab",
    12: "Clear",
    13: "Enter",
    16: "Shift",
    17: "Control",
    18: "Alt",
    19: "Pause",
    20: "CapsLock",
    27: "Escape",
    32: " ",
    33: "PageUp",
    34: "PageDown",
    35: "End",
    36: "Home",
    37: "ArrowLeft",
    38: "ArrowUp",
    39: "ArrowRight",
    40: "ArrowDown",
    45: "Insert",
    46: "Delete",
    112: "F1",
    113: "F2",
    114: "F3",
    115: "F4",
    116: "F5",
    117: "F6",
    118: "F7",
    119: "F8",
    120: "F9",
    121: "F10",
    122: "F11",
    123: "F12",
    144: "NumLock",
    145: "ScrollLock",
    224: "Meta"
  }, xc = { Alt: "altKey", Control: "ctrlKey", Meta: "metaKey", Shift: "shiftKey" };
  function Ec(e) {
    var t = this.nativeEvent;
    return t.getModifierState ? t.getModifierState(e) : (e = xc[e]) ? !!t[e] : !1;
  }
  function ii() {
    return Ec;
  }
  var _c = T({}, Kn, { key: function(e) {
    if (e.key) {
      var t = kc[e.key] || e.key;
      if (t !== "Unidentified") return t;
    }
    return e.type === "keypress" ? (e = Or(e), e === 13 ? "Enter" : String.fromCharCode(e)) : e.type === "keydown" || e.type === "keyup" ? Sc[e.keyCode] || "Unidentified" : "";
  }, code: 0, location: 0, ctrlKey: 0, shiftKey: 0, altKey: 0, metaKey: 0, repeat: 0, locale: 0, getModifierState: ii, charCode: function(e) {
    return e.type === "keypress" ? Or(e) : 0;
  }, keyCode: function(e) {
    return e.type === "keydown" || e.type === "keyup" ? e.keyCode : 0;
  }, which: function(e) {
    return e.type === "keypress" ? Or(e) : e.type === "keydown" || e.type === "keyup" ? e.keyCode : 0;
  } }), Cc = qe(_c), Nc = T({}, Fr, { pointerId: 0, width: 0, height: 0, pressure: 0, tangentialPressure: 0, tiltX: 0, tiltY: 0, twist: 0, pointerType: 0, isPrimary: 0 }), ku = qe(Nc), Pc = T({}, Kn, { touches: 0, targetTouches: 0, changedTouches: 0, altKey: 0, metaKey: 0, ctrlKey: 0, shiftKey: 0, getModifierState: ii }), zc = qe(Pc), Tc = T({}, dn, { propertyName: 0, elapsedTime: 0, pseudoElement: 0 }), Lc = qe(Tc), jc = T({}, Fr, {
    deltaX: function(e) {
      return "deltaX" in e ? e.deltaX : "wheelDeltaX" in e ? -e.wheelDeltaX : 0;
    },
    deltaY: function(e) {
      return "deltaY" in e ? e.deltaY : "wheelDeltaY" in e ? -e.wheelDeltaY : "wheelDelta" in e ? -e.wheelDelta : 0;
    },
    deltaZ: 0,
    deltaMode: 0
  }), Rc = qe(jc), Ic = [9, 13, 27, 32], oi = N && "CompositionEvent" in window, Xn = null;
  N && "documentMode" in document && (Xn = document.documentMode);
  var Mc = N && "TextEvent" in window && !Xn, Su = N && (!oi || Xn && 8 < Xn && 11 >= Xn), xu = " ", Eu = !1;
  function _u(e, t) {
    switch (e) {
      case "keyup":
        return Ic.indexOf(t.keyCode) !== -1;
      case "keydown":
        return t.keyCode !== 229;
      case "keypress":
      case "mousedown":
      case "focusout":
        return !0;
      default:
        return !1;
    }
  }
  function Cu(e) {
    return e = e.detail, typeof e == "object" && "data" in e ? e.data : null;
  }
  var pn = !1;
  function Oc(e, t) {
    switch (e) {
      case "compositionend":
        return Cu(t);
      case "keypress":
        return t.which !== 32 ? null : (Eu = !0, xu);
      case "textInput":
        return e = t.data, e === xu && Eu ? null : e;
      default:
        return null;
    }
  }
  function Dc(e, t) {
    if (pn) return e === "compositionend" || !oi && _u(e, t) ? (e = vu(), Mr = ei = It = null, pn = !1, e) : null;
    switch (e) {
      case "paste":
        return null;
      case "keypress":
        if (!(t.ctrlKey || t.altKey || t.metaKey) || t.ctrlKey && t.altKey) {
          if (t.char && 1 < t.char.length) return t.char;
          if (t.which) return String.fromCharCode(t.which);
        }
        return null;
      case "compositionend":
        return Su && t.locale !== "ko" ? null : t.data;
      default:
        return null;
    }
  }
  var Fc = { color: !0, date: !0, datetime: !0, "datetime-local": !0, email: !0, month: !0, number: !0, password: !0, range: !0, search: !0, tel: !0, text: !0, time: !0, url: !0, week: !0 };
  function Nu(e) {
    var t = e && e.nodeName && e.nodeName.toLowerCase();
    return t === "input" ? !!Fc[e.type] : t === "textarea";
  }
  function Pu(e, t, n, r) {
    Yo(r), t = Vr(t, "onChange"), 0 < t.length && (n = new ti("onChange", "change", null, n, r), e.push({ event: n, listeners: t }));
  }
  var Gn = null, Zn = null;
  function Uc(e) {
    Qu(e, 0);
  }
  function Ur(e) {
    var t = gn(e);
    if (Oo(t)) return e;
  }
  function $c(e, t) {
    if (e === "change") return t;
  }
  var zu = !1;
  if (N) {
    var ui;
    if (N) {
      var si = "oninput" in document;
      if (!si) {
        var Tu = document.createElement("div");
        Tu.setAttribute("oninput", "return;"), si = typeof Tu.oninput == "function";
      }
      ui = si;
    } else ui = !1;
    zu = ui && (!document.documentMode || 9 < document.documentMode);
  }
  function Lu() {
    Gn && (Gn.detachEvent("onpropertychange", ju), Zn = Gn = null);
  }
  function ju(e) {
    if (e.propertyName === "value" && Ur(Zn)) {
      var t = [];
      Pu(t, Zn, e, Bl(e)), qo(Uc, t);
    }
  }
  function Ac(e, t, n) {
    e === "focusin" ? (Lu(), Gn = t, Zn = n, Gn.attachEvent("onpropertychange", ju)) : e === "focusout" && Lu();
  }
  function Bc(e) {
    if (e === "selectionchange" || e === "keyup" || e === "keydown") return Ur(Zn);
  }
  function Vc(e, t) {
    if (e === "click") return Ur(t);
  }
  function Wc(e, t) {
    if (e === "input" || e === "change") return Ur(t);
  }
  function Hc(e, t) {
    return e === t && (e !== 0 || 1 / e === 1 / t) || e !== e && t !== t;
  }
  var ct = typeof Object.is == "function" ? Object.is : Hc;
  function qn(e, t) {
    if (ct(e, t)) return !0;
    if (typeof e != "object" || e === null || typeof t != "object" || t === null) return !1;
    var n = Object.keys(e), r = Object.keys(t);
    if (n.length !== r.length) return !1;
    for (r = 0; r < n.length; r++) {
      var l = n[r];
      if (!D.call(t, l) || !ct(e[l], t[l])) return !1;
    }
    return !0;
  }
  function Ru(e) {
    for (; e && e.firstChild; ) e = e.firstChild;
    return e;
  }
  function Iu(e, t) {
    var n = Ru(e);
    e = 0;
    for (var r; n; ) {
      if (n.nodeType === 3) {
        if (r = e + n.textContent.length, e <= t && r >= t) return { node: n, offset: t - e };
        e = r;
      }
      e: {
        for (; n; ) {
          if (n.nextSibling) {
            n = n.nextSibling;
            break e;
          }
          n = n.parentNode;
        }
        n = void 0;
      }
      n = Ru(n);
    }
  }
  function Mu(e, t) {
    return e && t ? e === t ? !0 : e && e.nodeType === 3 ? !1 : t && t.nodeType === 3 ? Mu(e, t.parentNode) : "contains" in e ? e.contains(t) : e.compareDocumentPosition ? !!(e.compareDocumentPosition(t) & 16) : !1 : !1;
  }
  function Ou() {
    for (var e = window, t = Sr(); t instanceof e.HTMLIFrameElement; ) {
      try {
        var n = typeof t.contentWindow.location.href == "string";
      } catch {
        n = !1;
      }
      if (n) e = t.contentWindow;
      else break;
      t = Sr(e.document);
    }
    return t;
  }
  function ai(e) {
    var t = e && e.nodeName && e.nodeName.toLowerCase();
    return t && (t === "input" && (e.type === "text" || e.type === "search" || e.type === "tel" || e.type === "url" || e.type === "password") || t === "textarea" || e.contentEditable === "true");
  }
  function Qc(e) {
    var t = Ou(), n = e.focusedElem, r = e.selectionRange;
    if (t !== n && n && n.ownerDocument && Mu(n.ownerDocument.documentElement, n)) {
      if (r !== null && ai(n)) {
        if (t = r.start, e = r.end, e === void 0 && (e = t), "selectionStart" in n) n.selectionStart = t, n.selectionEnd = Math.min(e, n.value.length);
        else if (e = (t = n.ownerDocument || document) && t.defaultView || window, e.getSelection) {
          e = e.getSelection();
          var l = n.textContent.length, i = Math.min(r.start, l);
          r = r.end === void 0 ? i : Math.min(r.end, l), !e.extend && i > r && (l = r, r = i, i = l), l = Iu(n, i);
          var o = Iu(
            n,
            r
          );
          l && o && (e.rangeCount !== 1 || e.anchorNode !== l.node || e.anchorOffset !== l.offset || e.focusNode !== o.node || e.focusOffset !== o.offset) && (t = t.createRange(), t.setStart(l.node, l.offset), e.removeAllRanges(), i > r ? (e.addRange(t), e.extend(o.node, o.offset)) : (t.setEnd(o.node, o.offset), e.addRange(t)));
        }
      }
      for (t = [], e = n; e = e.parentNode; ) e.nodeType === 1 && t.push({ element: e, left: e.scrollLeft, top: e.scrollTop });
      for (typeof n.focus == "function" && n.focus(), n = 0; n < t.length; n++) e = t[n], e.element.scrollLeft = e.left, e.element.scrollTop = e.top;
    }
  }
  var Kc = N && "documentMode" in document && 11 >= document.documentMode, hn = null, ci = null, Jn = null, fi = !1;
  function Du(e, t, n) {
    var r = n.window === n ? n.document : n.nodeType === 9 ? n : n.ownerDocument;
    fi || hn == null || hn !== Sr(r) || (r = hn, "selectionStart" in r && ai(r) ? r = { start: r.selectionStart, end: r.selectionEnd } : (r = (r.ownerDocument && r.ownerDocument.defaultView || window).getSelection(), r = { anchorNode: r.anchorNode, anchorOffset: r.anchorOffset, focusNode: r.focusNode, focusOffset: r.focusOffset }), Jn && qn(Jn, r) || (Jn = r, r = Vr(ci, "onSelect"), 0 < r.length && (t = new ti("onSelect", "select", null, t, n), e.push({ event: t, listeners: r }), t.target = hn)));
  }
  function $r(e, t) {
    var n = {};
    return n[e.toLowerCase()] = t.toLowerCase(), n["Webkit" + e] = "webkit" + t, n["Moz" + e] = "moz" + t, n;
  }
  var mn = { animationend: $r("Animation", "AnimationEnd"), animationiteration: $r("Animation", "AnimationIteration"), animationstart: $r("Animation", "AnimationStart"), transitionend: $r("Transition", "TransitionEnd") }, di = {}, Fu = {};
  N && (Fu = document.createElement("div").style, "AnimationEvent" in window || (delete mn.animationend.animation, delete mn.animationiteration.animation, delete mn.animationstart.animation), "TransitionEvent" in window || delete mn.transitionend.transition);
  function Ar(e) {
    if (di[e]) return di[e];
    if (!mn[e]) return e;
    var t = mn[e], n;
    for (n in t) if (t.hasOwnProperty(n) && n in Fu) return di[e] = t[n];
    return e;
  }
  var Uu = Ar("animationend"), $u = Ar("animationiteration"), Au = Ar("animationstart"), Bu = Ar("transitionend"), Vu = /* @__PURE__ */ new Map(), Wu = "abort auxClick cancel canPlay canPlayThrough click close contextMenu copy cut drag dragEnd dragEnter dragExit dragLeave dragOver dragStart drop durationChange emptied encrypted ended error gotPointerCapture input invalid keyDown keyPress keyUp load loadedData loadedMetadata loadStart lostPointerCapture mouseDown mouseMove mouseOut mouseOver mouseUp paste pause play playing pointerCancel pointerDown pointerMove pointerOut pointerOver pointerUp progress rateChange reset resize seeked seeking stalled submit suspend timeUpdate touchCancel touchEnd touchStart volumeChange scroll toggle touchMove waiting wheel".split(" ");
  function Mt(e, t) {
    Vu.set(e, t), P(t, [e]);
  }
  for (var pi = 0; pi < Wu.length; pi++) {
    var hi = Wu[pi], Yc = hi.toLowerCase(), Xc = hi[0].toUpperCase() + hi.slice(1);
    Mt(Yc, "on" + Xc);
  }
  Mt(Uu, "onAnimationEnd"), Mt($u, "onAnimationIteration"), Mt(Au, "onAnimationStart"), Mt("dblclick", "onDoubleClick"), Mt("focusin", "onFocus"), Mt("focusout", "onBlur"), Mt(Bu, "onTransitionEnd"), $("onMouseEnter", ["mouseout", "mouseover"]), $("onMouseLeave", ["mouseout", "mouseover"]), $("onPointerEnter", ["pointerout", "pointerover"]), $("onPointerLeave", ["pointerout", "pointerover"]), P("onChange", "change click focusin focusout input keydown keyup selectionchange".split(" ")), P("onSelect", "focusout contextmenu dragend focusin keydown keyup mousedown mouseup selectionchange".split(" ")), P("onBeforeInput", ["compositionend", "keypress", "textInput", "paste"]), P("onCompositionEnd", "compositionend focusout keydown keypress keyup mousedown".split(" ")), P("onCompositionStart", "compositionstart focusout keydown keypress keyup mousedown".split(" ")), P("onCompositionUpdate", "compositionupdate focusout keydown keypress keyup mousedown".split(" "));
  var bn = "abort canplay canplaythrough durationchange emptied encrypted ended error loadeddata loadedmetadata loadstart pause play playing progress ratechange resize seeked seeking stalled suspend timeupdate volumechange waiting".split(" "), Gc = new Set("cancel close invalid load scroll toggle".split(" ").concat(bn));
  function Hu(e, t, n) {
    var r = e.type || "unknown-event";
    e.currentTarget = n, Ya(r, t, void 0, e), e.currentTarget = null;
  }
  function Qu(e, t) {
    t = (t & 4) !== 0;
    for (var n = 0; n < e.length; n++) {
      var r = e[n], l = r.event;
      r = r.listeners;
      e: {
        var i = void 0;
        if (t) for (var o = r.length - 1; 0 <= o; o--) {
          var u = r[o], s = u.instance, h = u.currentTarget;
          if (u = u.listener, s !== i && l.isPropagationStopped()) break e;
          Hu(l, u, h), i = s;
        }
        else for (o = 0; o < r.length; o++) {
          if (u = r[o], s = u.instance, h = u.currentTarget, u = u.listener, s !== i && l.isPropagationStopped()) break e;
          Hu(l, u, h), i = s;
        }
      }
    }
    if (_r) throw e = Ql, _r = !1, Ql = null, e;
  }
  function ue(e, t) {
    var n = t[xi];
    n === void 0 && (n = t[xi] = /* @__PURE__ */ new Set());
    var r = e + "__bubble";
    n.has(r) || (Ku(t, e, 2, !1), n.add(r));
  }
  function mi(e, t, n) {
    var r = 0;
    t && (r |= 4), Ku(n, e, r, t);
  }
  var Br = "_reactListening" + Math.random().toString(36).slice(2);
  function er(e) {
    if (!e[Br]) {
      e[Br] = !0, S.forEach(function(n) {
        n !== "selectionchange" && (Gc.has(n) || mi(n, !1, e), mi(n, !0, e));
      });
      var t = e.nodeType === 9 ? e : e.ownerDocument;
      t === null || t[Br] || (t[Br] = !0, mi("selectionchange", !1, t));
    }
  }
  function Ku(e, t, n, r) {
    switch (mu(t)) {
      case 1:
        var l = ac;
        break;
      case 4:
        l = cc;
        break;
      default:
        l = Jl;
    }
    n = l.bind(null, t, n, e), l = void 0, !Hl || t !== "touchstart" && t !== "touchmove" && t !== "wheel" || (l = !0), r ? l !== void 0 ? e.addEventListener(t, n, { capture: !0, passive: l }) : e.addEventListener(t, n, !0) : l !== void 0 ? e.addEventListener(t, n, { passive: l }) : e.addEventListener(t, n, !1);
  }
  function vi(e, t, n, r, l) {
    var i = r;
    if ((t & 1) === 0 && (t & 2) === 0 && r !== null) e: for (; ; ) {
      if (r === null) return;
      var o = r.tag;
      if (o === 3 || o === 4) {
        var u = r.stateNode.containerInfo;
        if (u === l || u.nodeType === 8 && u.parentNode === l) break;
        if (o === 4) for (o = r.return; o !== null; ) {
          var s = o.tag;
          if ((s === 3 || s === 4) && (s = o.stateNode.containerInfo, s === l || s.nodeType === 8 && s.parentNode === l)) return;
          o = o.return;
        }
        for (; u !== null; ) {
          if (o = Gt(u), o === null) return;
          if (s = o.tag, s === 5 || s === 6) {
            r = i = o;
            continue e;
          }
          u = u.parentNode;
        }
      }
      r = r.return;
    }
    qo(function() {
      var h = i, w = Bl(n), k = [];
      e: {
        var y = Vu.get(e);
        if (y !== void 0) {
          var C = ti, L = e;
          switch (e) {
            case "keypress":
              if (Or(n) === 0) break e;
            case "keydown":
            case "keyup":
              C = Cc;
              break;
            case "focusin":
              L = "focus", C = li;
              break;
            case "focusout":
              L = "blur", C = li;
              break;
            case "beforeblur":
            case "afterblur":
              C = li;
              break;
            case "click":
              if (n.button === 2) break e;
            case "auxclick":
            case "dblclick":
            case "mousedown":
            case "mousemove":
            case "mouseup":
            case "mouseout":
            case "mouseover":
            case "contextmenu":
              C = gu;
              break;
            case "drag":
            case "dragend":
            case "dragenter":
            case "dragexit":
            case "dragleave":
            case "dragover":
            case "dragstart":
            case "drop":
              C = pc;
              break;
            case "touchcancel":
            case "touchend":
            case "touchmove":
            case "touchstart":
              C = zc;
              break;
            case Uu:
            case $u:
            case Au:
              C = vc;
              break;
            case Bu:
              C = Lc;
              break;
            case "scroll":
              C = fc;
              break;
            case "wheel":
              C = Rc;
              break;
            case "copy":
            case "cut":
            case "paste":
              C = gc;
              break;
            case "gotpointercapture":
            case "lostpointercapture":
            case "pointercancel":
            case "pointerdown":
            case "pointermove":
            case "pointerout":
            case "pointerover":
            case "pointerup":
              C = ku;
          }
          var R = (t & 4) !== 0, me = !R && e === "scroll", d = R ? y !== null ? y + "Capture" : null : y;
          R = [];
          for (var a = h, p; a !== null; ) {
            p = a;
            var x = p.stateNode;
            if (p.tag === 5 && x !== null && (p = x, d !== null && (x = Dn(a, d), x != null && R.push(tr(a, x, p)))), me) break;
            a = a.return;
          }
          0 < R.length && (y = new C(y, L, null, n, w), k.push({ event: y, listeners: R }));
        }
      }
      if ((t & 7) === 0) {
        e: {
          if (y = e === "mouseover" || e === "pointerover", C = e === "mouseout" || e === "pointerout", y && n !== Al && (L = n.relatedTarget || n.fromElement) && (Gt(L) || L[St])) break e;
          if ((C || y) && (y = w.window === w ? w : (y = w.ownerDocument) ? y.defaultView || y.parentWindow : window, C ? (L = n.relatedTarget || n.toElement, C = h, L = L ? Gt(L) : null, L !== null && (me = Xt(L), L !== me || L.tag !== 5 && L.tag !== 6) && (L = null)) : (C = null, L = h), C !== L)) {
            if (R = gu, x = "onMouseLeave", d = "onMouseEnter", a = "mouse", (e === "pointerout" || e === "pointerover") && (R = ku, x = "onPointerLeave", d = "onPointerEnter", a = "pointer"), me = C == null ? y : gn(C), p = L == null ? y : gn(L), y = new R(x, a + "leave", C, n, w), y.target = me, y.relatedTarget = p, x = null, Gt(w) === h && (R = new R(d, a + "enter", L, n, w), R.target = p, R.relatedTarget = me, x = R), me = x, C && L) t: {
              for (R = C, d = L, a = 0, p = R; p; p = vn(p)) a++;
              for (p = 0, x = d; x; x = vn(x)) p++;
              for (; 0 < a - p; ) R = vn(R), a--;
              for (; 0 < p - a; ) d = vn(d), p--;
              for (; a--; ) {
                if (R === d || d !== null && R === d.alternate) break t;
                R = vn(R), d = vn(d);
              }
              R = null;
            }
            else R = null;
            C !== null && Yu(k, y, C, R, !1), L !== null && me !== null && Yu(k, me, L, R, !0);
          }
        }
        e: {
          if (y = h ? gn(h) : window, C = y.nodeName && y.nodeName.toLowerCase(), C === "select" || C === "input" && y.type === "file") var M = $c;
          else if (Nu(y)) if (zu) M = Wc;
          else {
            M = Bc;
            var F = Ac;
          }
          else (C = y.nodeName) && C.toLowerCase() === "input" && (y.type === "checkbox" || y.type === "radio") && (M = Vc);
          if (M && (M = M(e, h))) {
            Pu(k, M, n, w);
            break e;
          }
          F && F(e, y, h), e === "focusout" && (F = y._wrapperState) && F.controlled && y.type === "number" && Ol(y, "number", y.value);
        }
        switch (F = h ? gn(h) : window, e) {
          case "focusin":
            (Nu(F) || F.contentEditable === "true") && (hn = F, ci = h, Jn = null);
            break;
          case "focusout":
            Jn = ci = hn = null;
            break;
          case "mousedown":
            fi = !0;
            break;
          case "contextmenu":
          case "mouseup":
          case "dragend":
            fi = !1, Du(k, n, w);
            break;
          case "selectionchange":
            if (Kc) break;
          case "keydown":
          case "keyup":
            Du(k, n, w);
        }
        var U;
        if (oi) e: {
          switch (e) {
            case "compositionstart":
              var B = "onCompositionStart";
              break e;
            case "compositionend":
              B = "onCompositionEnd";
              break e;
            case "compositionupdate":
              B = "onCompositionUpdate";
              break e;
          }
          B = void 0;
        }
        else pn ? _u(e, n) && (B = "onCompositionEnd") : e === "keydown" && n.keyCode === 229 && (B = "onCompositionStart");
        B && (Su && n.locale !== "ko" && (pn || B !== "onCompositionStart" ? B === "onCompositionEnd" && pn && (U = vu()) : (It = w, ei = "value" in It ? It.value : It.textContent, pn = !0)), F = Vr(h, B), 0 < F.length && (B = new wu(B, e, null, n, w), k.push({ event: B, listeners: F }), U ? B.data = U : (U = Cu(n), U !== null && (B.data = U)))), (U = Mc ? Oc(e, n) : Dc(e, n)) && (h = Vr(h, "onBeforeInput"), 0 < h.length && (w = new wu("onBeforeInput", "beforeinput", null, n, w), k.push({ event: w, listeners: h }), w.data = U));
      }
      Qu(k, t);
    });
  }
  function tr(e, t, n) {
    return { instance: e, listener: t, currentTarget: n };
  }
  function Vr(e, t) {
    for (var n = t + "Capture", r = []; e !== null; ) {
      var l = e, i = l.stateNode;
      l.tag === 5 && i !== null && (l = i, i = Dn(e, n), i != null && r.unshift(tr(e, i, l)), i = Dn(e, t), i != null && r.push(tr(e, i, l))), e = e.return;
    }
    return r;
  }
  function vn(e) {
    if (e === null) return null;
    do
      e = e.return;
    while (e && e.tag !== 5);
    return e || null;
  }
  function Yu(e, t, n, r, l) {
    for (var i = t._reactName, o = []; n !== null && n !== r; ) {
      var u = n, s = u.alternate, h = u.stateNode;
      if (s !== null && s === r) break;
      u.tag === 5 && h !== null && (u = h, l ? (s = Dn(n, i), s != null && o.unshift(tr(n, s, u))) : l || (s = Dn(n, i), s != null && o.push(tr(n, s, u)))), n = n.return;
    }
    o.length !== 0 && e.push({ event: t, listeners: o });
  }
  var Zc = /\r\n?/g, qc = /\u0000|\uFFFD/g;
  function Xu(e) {
    return (typeof e == "string" ? e : "" + e).replace(Zc, `
`).replace(qc, "");
  }
  function Wr(e, t, n) {
    if (t = Xu(t), Xu(e) !== t && n) throw Error(c(425));
  }
  function Hr() {
  }
  var yi = null, gi = null;
  function wi(e, t) {
    return e === "textarea" || e === "noscript" || typeof t.children == "string" || typeof t.children == "number" || typeof t.dangerouslySetInnerHTML == "object" && t.dangerouslySetInnerHTML !== null && t.dangerouslySetInnerHTML.__html != null;
  }
  var ki = typeof setTimeout == "function" ? setTimeout : void 0, Jc = typeof clearTimeout == "function" ? clearTimeout : void 0, Gu = typeof Promise == "function" ? Promise : void 0, bc = typeof queueMicrotask == "function" ? queueMicrotask : typeof Gu < "u" ? function(e) {
    return Gu.resolve(null).then(e).catch(ef);
  } : ki;
  function ef(e) {
    setTimeout(function() {
      throw e;
    });
  }
  function Si(e, t) {
    var n = t, r = 0;
    do {
      var l = n.nextSibling;
      if (e.removeChild(n), l && l.nodeType === 8) if (n = l.data, n === "/$") {
        if (r === 0) {
          e.removeChild(l), Qn(t);
          return;
        }
        r--;
      } else n !== "$" && n !== "$?" && n !== "$!" || r++;
      n = l;
    } while (n);
    Qn(t);
  }
  function Ot(e) {
    for (; e != null; e = e.nextSibling) {
      var t = e.nodeType;
      if (t === 1 || t === 3) break;
      if (t === 8) {
        if (t = e.data, t === "$" || t === "$!" || t === "$?") break;
        if (t === "/$") return null;
      }
    }
    return e;
  }
  function Zu(e) {
    e = e.previousSibling;
    for (var t = 0; e; ) {
      if (e.nodeType === 8) {
        var n = e.data;
        if (n === "$" || n === "$!" || n === "$?") {
          if (t === 0) return e;
          t--;
        } else n === "/$" && t++;
      }
      e = e.previousSibling;
    }
    return null;
  }
  var yn = Math.random().toString(36).slice(2), yt = "__reactFiber$" + yn, nr = "__reactProps$" + yn, St = "__reactContainer$" + yn, xi = "__reactEvents$" + yn, tf = "__reactListeners$" + yn, nf = "__reactHandles$" + yn;
  function Gt(e) {
    var t = e[yt];
    if (t) return t;
    for (var n = e.parentNode; n; ) {
      if (t = n[St] || n[yt]) {
        if (n = t.alternate, t.child !== null || n !== null && n.child !== null) for (e = Zu(e); e !== null; ) {
          if (n = e[yt]) return n;
          e = Zu(e);
        }
        return t;
      }
      e = n, n = e.parentNode;
    }
    return null;
  }
  function rr(e) {
    return e = e[yt] || e[St], !e || e.tag !== 5 && e.tag !== 6 && e.tag !== 13 && e.tag !== 3 ? null : e;
  }
  function gn(e) {
    if (e.tag === 5 || e.tag === 6) return e.stateNode;
    throw Error(c(33));
  }
  function Qr(e) {
    return e[nr] || null;
  }
  var Ei = [], wn = -1;
  function Dt(e) {
    return { current: e };
  }
  function se(e) {
    0 > wn || (e.current = Ei[wn], Ei[wn] = null, wn--);
  }
  function oe(e, t) {
    wn++, Ei[wn] = e.current, e.current = t;
  }
  var Ft = {}, Oe = Dt(Ft), He = Dt(!1), Zt = Ft;
  function kn(e, t) {
    var n = e.type.contextTypes;
    if (!n) return Ft;
    var r = e.stateNode;
    if (r && r.__reactInternalMemoizedUnmaskedChildContext === t) return r.__reactInternalMemoizedMaskedChildContext;
    var l = {}, i;
    for (i in n) l[i] = t[i];
    return r && (e = e.stateNode, e.__reactInternalMemoizedUnmaskedChildContext = t, e.__reactInternalMemoizedMaskedChildContext = l), l;
  }
  function Qe(e) {
    return e = e.childContextTypes, e != null;
  }
  function Kr() {
    se(He), se(Oe);
  }
  function qu(e, t, n) {
    if (Oe.current !== Ft) throw Error(c(168));
    oe(Oe, t), oe(He, n);
  }
  function Ju(e, t, n) {
    var r = e.stateNode;
    if (t = t.childContextTypes, typeof r.getChildContext != "function") return n;
    r = r.getChildContext();
    for (var l in r) if (!(l in t)) throw Error(c(108, ie(e) || "Unknown", l));
    return T({}, n, r);
  }
  function Yr(e) {
    return e = (e = e.stateNode) && e.__reactInternalMemoizedMergedChildContext || Ft, Zt = Oe.current, oe(Oe, e), oe(He, He.current), !0;
  }
  function bu(e, t, n) {
    var r = e.stateNode;
    if (!r) throw Error(c(169));
    n ? (e = Ju(e, t, Zt), r.__reactInternalMemoizedMergedChildContext = e, se(He), se(Oe), oe(Oe, e)) : se(He), oe(He, n);
  }
  var xt = null, Xr = !1, _i = !1;
  function es(e) {
    xt === null ? xt = [e] : xt.push(e);
  }
  function rf(e) {
    Xr = !0, es(e);
  }
  function Ut() {
    if (!_i && xt !== null) {
      _i = !0;
      var e = 0, t = le;
      try {
        var n = xt;
        for (le = 1; e < n.length; e++) {
          var r = n[e];
          do
            r = r(!0);
          while (r !== null);
        }
        xt = null, Xr = !1;
      } catch (l) {
        throw xt !== null && (xt = xt.slice(e + 1)), nu(Kl, Ut), l;
      } finally {
        le = t, _i = !1;
      }
    }
    return null;
  }
  var Sn = [], xn = 0, Gr = null, Zr = 0, rt = [], lt = 0, qt = null, Et = 1, _t = "";
  function Jt(e, t) {
    Sn[xn++] = Zr, Sn[xn++] = Gr, Gr = e, Zr = t;
  }
  function ts(e, t, n) {
    rt[lt++] = Et, rt[lt++] = _t, rt[lt++] = qt, qt = e;
    var r = Et;
    e = _t;
    var l = 32 - at(r) - 1;
    r &= ~(1 << l), n += 1;
    var i = 32 - at(t) + l;
    if (30 < i) {
      var o = l - l % 5;
      i = (r & (1 << o) - 1).toString(32), r >>= o, l -= o, Et = 1 << 32 - at(t) + l | n << l | r, _t = i + e;
    } else Et = 1 << i | n << l | r, _t = e;
  }
  function Ci(e) {
    e.return !== null && (Jt(e, 1), ts(e, 1, 0));
  }
  function Ni(e) {
    for (; e === Gr; ) Gr = Sn[--xn], Sn[xn] = null, Zr = Sn[--xn], Sn[xn] = null;
    for (; e === qt; ) qt = rt[--lt], rt[lt] = null, _t = rt[--lt], rt[lt] = null, Et = rt[--lt], rt[lt] = null;
  }
  var Je = null, be = null, ce = !1, ft = null;
  function ns(e, t) {
    var n = st(5, null, null, 0);
    n.elementType = "DELETED", n.stateNode = t, n.return = e, t = e.deletions, t === null ? (e.deletions = [n], e.flags |= 16) : t.push(n);
  }
  function rs(e, t) {
    switch (e.tag) {
      case 5:
        var n = e.type;
        return t = t.nodeType !== 1 || n.toLowerCase() !== t.nodeName.toLowerCase() ? null : t, t !== null ? (e.stateNode = t, Je = e, be = Ot(t.firstChild), !0) : !1;
      case 6:
        return t = e.pendingProps === "" || t.nodeType !== 3 ? null : t, t !== null ? (e.stateNode = t, Je = e, be = null, !0) : !1;
      case 13:
        return t = t.nodeType !== 8 ? null : t, t !== null ? (n = qt !== null ? { id: Et, overflow: _t } : null, e.memoizedState = { dehydrated: t, treeContext: n, retryLane: 1073741824 }, n = st(18, null, null, 0), n.stateNode = t, n.return = e, e.child = n, Je = e, be = null, !0) : !1;
      default:
        return !1;
    }
  }
  function Pi(e) {
    return (e.mode & 1) !== 0 && (e.flags & 128) === 0;
  }
  function zi(e) {
    if (ce) {
      var t = be;
      if (t) {
        var n = t;
        if (!rs(e, t)) {
          if (Pi(e)) throw Error(c(418));
          t = Ot(n.nextSibling);
          var r = Je;
          t && rs(e, t) ? ns(r, n) : (e.flags = e.flags & -4097 | 2, ce = !1, Je = e);
        }
      } else {
        if (Pi(e)) throw Error(c(418));
        e.flags = e.flags & -4097 | 2, ce = !1, Je = e;
      }
    }
  }
  function ls(e) {
    for (e = e.return; e !== null && e.tag !== 5 && e.tag !== 3 && e.tag !== 13; ) e = e.return;
    Je = e;
  }
  function qr(e) {
    if (e !== Je) return !1;
    if (!ce) return ls(e), ce = !0, !1;
    var t;
    if ((t = e.tag !== 3) && !(t = e.tag !== 5) && (t = e.type, t = t !== "head" && t !== "body" && !wi(e.type, e.memoizedProps)), t && (t = be)) {
      if (Pi(e)) throw is(), Error(c(418));
      for (; t; ) ns(e, t), t = Ot(t.nextSibling);
    }
    if (ls(e), e.tag === 13) {
      if (e = e.memoizedState, e = e !== null ? e.dehydrated : null, !e) throw Error(c(317));
      e: {
        for (e = e.nextSibling, t = 0; e; ) {
          if (e.nodeType === 8) {
            var n = e.data;
            if (n === "/$") {
              if (t === 0) {
                be = Ot(e.nextSibling);
                break e;
              }
              t--;
            } else n !== "$" && n !== "$!" && n !== "$?" || t++;
          }
          e = e.nextSibling;
        }
        be = null;
      }
    } else be = Je ? Ot(e.stateNode.nextSibling) : null;
    return !0;
  }
  function is() {
    for (var e = be; e; ) e = Ot(e.nextSibling);
  }
  function En() {
    be = Je = null, ce = !1;
  }
  function Ti(e) {
    ft === null ? ft = [e] : ft.push(e);
  }
  var lf = Se.ReactCurrentBatchConfig;
  function lr(e, t, n) {
    if (e = n.ref, e !== null && typeof e != "function" && typeof e != "object") {
      if (n._owner) {
        if (n = n._owner, n) {
          if (n.tag !== 1) throw Error(c(309));
          var r = n.stateNode;
        }
        if (!r) throw Error(c(147, e));
        var l = r, i = "" + e;
        return t !== null && t.ref !== null && typeof t.ref == "function" && t.ref._stringRef === i ? t.ref : (t = function(o) {
          var u = l.refs;
          o === null ? delete u[i] : u[i] = o;
        }, t._stringRef = i, t);
      }
      if (typeof e != "string") throw Error(c(284));
      if (!n._owner) throw Error(c(290, e));
    }
    return e;
  }
  function Jr(e, t) {
    throw e = Object.prototype.toString.call(t), Error(c(31, e === "[object Object]" ? "object with keys {" + Object.keys(t).join(", ") + "}" : e));
  }
  function os(e) {
    var t = e._init;
    return t(e._payload);
  }
  function us(e) {
    function t(d, a) {
      if (e) {
        var p = d.deletions;
        p === null ? (d.deletions = [a], d.flags |= 16) : p.push(a);
      }
    }
    function n(d, a) {
      if (!e) return null;
      for (; a !== null; ) t(d, a), a = a.sibling;
      return null;
    }
    function r(d, a) {
      for (d = /* @__PURE__ */ new Map(); a !== null; ) a.key !== null ? d.set(a.key, a) : d.set(a.index, a), a = a.sibling;
      return d;
    }
    function l(d, a) {
      return d = Kt(d, a), d.index = 0, d.sibling = null, d;
    }
    function i(d, a, p) {
      return d.index = p, e ? (p = d.alternate, p !== null ? (p = p.index, p < a ? (d.flags |= 2, a) : p) : (d.flags |= 2, a)) : (d.flags |= 1048576, a);
    }
    function o(d) {
      return e && d.alternate === null && (d.flags |= 2), d;
    }
    function u(d, a, p, x) {
      return a === null || a.tag !== 6 ? (a = So(p, d.mode, x), a.return = d, a) : (a = l(a, p), a.return = d, a);
    }
    function s(d, a, p, x) {
      var M = p.type;
      return M === Ie ? w(d, a, p.props.children, x, p.key) : a !== null && (a.elementType === M || typeof M == "object" && M !== null && M.$$typeof === Le && os(M) === a.type) ? (x = l(a, p.props), x.ref = lr(d, a, p), x.return = d, x) : (x = xl(p.type, p.key, p.props, null, d.mode, x), x.ref = lr(d, a, p), x.return = d, x);
    }
    function h(d, a, p, x) {
      return a === null || a.tag !== 4 || a.stateNode.containerInfo !== p.containerInfo || a.stateNode.implementation !== p.implementation ? (a = xo(p, d.mode, x), a.return = d, a) : (a = l(a, p.children || []), a.return = d, a);
    }
    function w(d, a, p, x, M) {
      return a === null || a.tag !== 7 ? (a = un(p, d.mode, x, M), a.return = d, a) : (a = l(a, p), a.return = d, a);
    }
    function k(d, a, p) {
      if (typeof a == "string" && a !== "" || typeof a == "number") return a = So("" + a, d.mode, p), a.return = d, a;
      if (typeof a == "object" && a !== null) {
        switch (a.$$typeof) {
          case We:
            return p = xl(a.type, a.key, a.props, null, d.mode, p), p.ref = lr(d, null, a), p.return = d, p;
          case Te:
            return a = xo(a, d.mode, p), a.return = d, a;
          case Le:
            var x = a._init;
            return k(d, x(a._payload), p);
        }
        if (In(a) || A(a)) return a = un(a, d.mode, p, null), a.return = d, a;
        Jr(d, a);
      }
      return null;
    }
    function y(d, a, p, x) {
      var M = a !== null ? a.key : null;
      if (typeof p == "string" && p !== "" || typeof p == "number") return M !== null ? null : u(d, a, "" + p, x);
      if (typeof p == "object" && p !== null) {
        switch (p.$$typeof) {
          case We:
            return p.key === M ? s(d, a, p, x) : null;
          case Te:
            return p.key === M ? h(d, a, p, x) : null;
          case Le:
            return M = p._init, y(
              d,
              a,
              M(p._payload),
              x
            );
        }
        if (In(p) || A(p)) return M !== null ? null : w(d, a, p, x, null);
        Jr(d, p);
      }
      return null;
    }
    function C(d, a, p, x, M) {
      if (typeof x == "string" && x !== "" || typeof x == "number") return d = d.get(p) || null, u(a, d, "" + x, M);
      if (typeof x == "object" && x !== null) {
        switch (x.$$typeof) {
          case We:
            return d = d.get(x.key === null ? p : x.key) || null, s(a, d, x, M);
          case Te:
            return d = d.get(x.key === null ? p : x.key) || null, h(a, d, x, M);
          case Le:
            var F = x._init;
            return C(d, a, p, F(x._payload), M);
        }
        if (In(x) || A(x)) return d = d.get(p) || null, w(a, d, x, M, null);
        Jr(a, x);
      }
      return null;
    }
    function L(d, a, p, x) {
      for (var M = null, F = null, U = a, B = a = 0, ze = null; U !== null && B < p.length; B++) {
        U.index > B ? (ze = U, U = null) : ze = U.sibling;
        var b = y(d, U, p[B], x);
        if (b === null) {
          U === null && (U = ze);
          break;
        }
        e && U && b.alternate === null && t(d, U), a = i(b, a, B), F === null ? M = b : F.sibling = b, F = b, U = ze;
      }
      if (B === p.length) return n(d, U), ce && Jt(d, B), M;
      if (U === null) {
        for (; B < p.length; B++) U = k(d, p[B], x), U !== null && (a = i(U, a, B), F === null ? M = U : F.sibling = U, F = U);
        return ce && Jt(d, B), M;
      }
      for (U = r(d, U); B < p.length; B++) ze = C(U, d, B, p[B], x), ze !== null && (e && ze.alternate !== null && U.delete(ze.key === null ? B : ze.key), a = i(ze, a, B), F === null ? M = ze : F.sibling = ze, F = ze);
      return e && U.forEach(function(Yt) {
        return t(d, Yt);
      }), ce && Jt(d, B), M;
    }
    function R(d, a, p, x) {
      var M = A(p);
      if (typeof M != "function") throw Error(c(150));
      if (p = M.call(p), p == null) throw Error(c(151));
      for (var F = M = null, U = a, B = a = 0, ze = null, b = p.next(); U !== null && !b.done; B++, b = p.next()) {
        U.index > B ? (ze = U, U = null) : ze = U.sibling;
        var Yt = y(d, U, b.value, x);
        if (Yt === null) {
          U === null && (U = ze);
          break;
        }
        e && U && Yt.alternate === null && t(d, U), a = i(Yt, a, B), F === null ? M = Yt : F.sibling = Yt, F = Yt, U = ze;
      }
      if (b.done) return n(
        d,
        U
      ), ce && Jt(d, B), M;
      if (U === null) {
        for (; !b.done; B++, b = p.next()) b = k(d, b.value, x), b !== null && (a = i(b, a, B), F === null ? M = b : F.sibling = b, F = b);
        return ce && Jt(d, B), M;
      }
      for (U = r(d, U); !b.done; B++, b = p.next()) b = C(U, d, B, b.value, x), b !== null && (e && b.alternate !== null && U.delete(b.key === null ? B : b.key), a = i(b, a, B), F === null ? M = b : F.sibling = b, F = b);
      return e && U.forEach(function(Uf) {
        return t(d, Uf);
      }), ce && Jt(d, B), M;
    }
    function me(d, a, p, x) {
      if (typeof p == "object" && p !== null && p.type === Ie && p.key === null && (p = p.props.children), typeof p == "object" && p !== null) {
        switch (p.$$typeof) {
          case We:
            e: {
              for (var M = p.key, F = a; F !== null; ) {
                if (F.key === M) {
                  if (M = p.type, M === Ie) {
                    if (F.tag === 7) {
                      n(d, F.sibling), a = l(F, p.props.children), a.return = d, d = a;
                      break e;
                    }
                  } else if (F.elementType === M || typeof M == "object" && M !== null && M.$$typeof === Le && os(M) === F.type) {
                    n(d, F.sibling), a = l(F, p.props), a.ref = lr(d, F, p), a.return = d, d = a;
                    break e;
                  }
                  n(d, F);
                  break;
                } else t(d, F);
                F = F.sibling;
              }
              p.type === Ie ? (a = un(p.props.children, d.mode, x, p.key), a.return = d, d = a) : (x = xl(p.type, p.key, p.props, null, d.mode, x), x.ref = lr(d, a, p), x.return = d, d = x);
            }
            return o(d);
          case Te:
            e: {
              for (F = p.key; a !== null; ) {
                if (a.key === F) if (a.tag === 4 && a.stateNode.containerInfo === p.containerInfo && a.stateNode.implementation === p.implementation) {
                  n(d, a.sibling), a = l(a, p.children || []), a.return = d, d = a;
                  break e;
                } else {
                  n(d, a);
                  break;
                }
                else t(d, a);
                a = a.sibling;
              }
              a = xo(p, d.mode, x), a.return = d, d = a;
            }
            return o(d);
          case Le:
            return F = p._init, me(d, a, F(p._payload), x);
        }
        if (In(p)) return L(d, a, p, x);
        if (A(p)) return R(d, a, p, x);
        Jr(d, p);
      }
      return typeof p == "string" && p !== "" || typeof p == "number" ? (p = "" + p, a !== null && a.tag === 6 ? (n(d, a.sibling), a = l(a, p), a.return = d, d = a) : (n(d, a), a = So(p, d.mode, x), a.return = d, d = a), o(d)) : n(d, a);
    }
    return me;
  }
  var _n = us(!0), ss = us(!1), br = Dt(null), el = null, Cn = null, Li = null;
  function ji() {
    Li = Cn = el = null;
  }
  function Ri(e) {
    var t = br.current;
    se(br), e._currentValue = t;
  }
  function Ii(e, t, n) {
    for (; e !== null; ) {
      var r = e.alternate;
      if ((e.childLanes & t) !== t ? (e.childLanes |= t, r !== null && (r.childLanes |= t)) : r !== null && (r.childLanes & t) !== t && (r.childLanes |= t), e === n) break;
      e = e.return;
    }
  }
  function Nn(e, t) {
    el = e, Li = Cn = null, e = e.dependencies, e !== null && e.firstContext !== null && ((e.lanes & t) !== 0 && (Ke = !0), e.firstContext = null);
  }
  function it(e) {
    var t = e._currentValue;
    if (Li !== e) if (e = { context: e, memoizedValue: t, next: null }, Cn === null) {
      if (el === null) throw Error(c(308));
      Cn = e, el.dependencies = { lanes: 0, firstContext: e };
    } else Cn = Cn.next = e;
    return t;
  }
  var bt = null;
  function Mi(e) {
    bt === null ? bt = [e] : bt.push(e);
  }
  function as(e, t, n, r) {
    var l = t.interleaved;
    return l === null ? (n.next = n, Mi(t)) : (n.next = l.next, l.next = n), t.interleaved = n, Ct(e, r);
  }
  function Ct(e, t) {
    e.lanes |= t;
    var n = e.alternate;
    for (n !== null && (n.lanes |= t), n = e, e = e.return; e !== null; ) e.childLanes |= t, n = e.alternate, n !== null && (n.childLanes |= t), n = e, e = e.return;
    return n.tag === 3 ? n.stateNode : null;
  }
  var $t = !1;
  function Oi(e) {
    e.updateQueue = { baseState: e.memoizedState, firstBaseUpdate: null, lastBaseUpdate: null, shared: { pending: null, interleaved: null, lanes: 0 }, effects: null };
  }
  function cs(e, t) {
    e = e.updateQueue, t.updateQueue === e && (t.updateQueue = { baseState: e.baseState, firstBaseUpdate: e.firstBaseUpdate, lastBaseUpdate: e.lastBaseUpdate, shared: e.shared, effects: e.effects });
  }
  function Nt(e, t) {
    return { eventTime: e, lane: t, tag: 0, payload: null, callback: null, next: null };
  }
  function At(e, t, n) {
    var r = e.updateQueue;
    if (r === null) return null;
    if (r = r.shared, (G & 2) !== 0) {
      var l = r.pending;
      return l === null ? t.next = t : (t.next = l.next, l.next = t), r.pending = t, Ct(e, n);
    }
    return l = r.interleaved, l === null ? (t.next = t, Mi(r)) : (t.next = l.next, l.next = t), r.interleaved = t, Ct(e, n);
  }
  function tl(e, t, n) {
    if (t = t.updateQueue, t !== null && (t = t.shared, (n & 4194240) !== 0)) {
      var r = t.lanes;
      r &= e.pendingLanes, n |= r, t.lanes = n, Gl(e, n);
    }
  }
  function fs(e, t) {
    var n = e.updateQueue, r = e.alternate;
    if (r !== null && (r = r.updateQueue, n === r)) {
      var l = null, i = null;
      if (n = n.firstBaseUpdate, n !== null) {
        do {
          var o = { eventTime: n.eventTime, lane: n.lane, tag: n.tag, payload: n.payload, callback: n.callback, next: null };
          i === null ? l = i = o : i = i.next = o, n = n.next;
        } while (n !== null);
        i === null ? l = i = t : i = i.next = t;
      } else l = i = t;
      n = { baseState: r.baseState, firstBaseUpdate: l, lastBaseUpdate: i, shared: r.shared, effects: r.effects }, e.updateQueue = n;
      return;
    }
    e = n.lastBaseUpdate, e === null ? n.firstBaseUpdate = t : e.next = t, n.lastBaseUpdate = t;
  }
  function nl(e, t, n, r) {
    var l = e.updateQueue;
    $t = !1;
    var i = l.firstBaseUpdate, o = l.lastBaseUpdate, u = l.shared.pending;
    if (u !== null) {
      l.shared.pending = null;
      var s = u, h = s.next;
      s.next = null, o === null ? i = h : o.next = h, o = s;
      var w = e.alternate;
      w !== null && (w = w.updateQueue, u = w.lastBaseUpdate, u !== o && (u === null ? w.firstBaseUpdate = h : u.next = h, w.lastBaseUpdate = s));
    }
    if (i !== null) {
      var k = l.baseState;
      o = 0, w = h = s = null, u = i;
      do {
        var y = u.lane, C = u.eventTime;
        if ((r & y) === y) {
          w !== null && (w = w.next = {
            eventTime: C,
            lane: 0,
            tag: u.tag,
            payload: u.payload,
            callback: u.callback,
            next: null
          });
          e: {
            var L = e, R = u;
            switch (y = t, C = n, R.tag) {
              case 1:
                if (L = R.payload, typeof L == "function") {
                  k = L.call(C, k, y);
                  break e;
                }
                k = L;
                break e;
              case 3:
                L.flags = L.flags & -65537 | 128;
              case 0:
                if (L = R.payload, y = typeof L == "function" ? L.call(C, k, y) : L, y == null) break e;
                k = T({}, k, y);
                break e;
              case 2:
                $t = !0;
            }
          }
          u.callback !== null && u.lane !== 0 && (e.flags |= 64, y = l.effects, y === null ? l.effects = [u] : y.push(u));
        } else C = { eventTime: C, lane: y, tag: u.tag, payload: u.payload, callback: u.callback, next: null }, w === null ? (h = w = C, s = k) : w = w.next = C, o |= y;
        if (u = u.next, u === null) {
          if (u = l.shared.pending, u === null) break;
          y = u, u = y.next, y.next = null, l.lastBaseUpdate = y, l.shared.pending = null;
        }
      } while (!0);
      if (w === null && (s = k), l.baseState = s, l.firstBaseUpdate = h, l.lastBaseUpdate = w, t = l.shared.interleaved, t !== null) {
        l = t;
        do
          o |= l.lane, l = l.next;
        while (l !== t);
      } else i === null && (l.shared.lanes = 0);
      nn |= o, e.lanes = o, e.memoizedState = k;
    }
  }
  function ds(e, t, n) {
    if (e = t.effects, t.effects = null, e !== null) for (t = 0; t < e.length; t++) {
      var r = e[t], l = r.callback;
      if (l !== null) {
        if (r.callback = null, r = n, typeof l != "function") throw Error(c(191, l));
        l.call(r);
      }
    }
  }
  var ir = {}, gt = Dt(ir), or = Dt(ir), ur = Dt(ir);
  function en(e) {
    if (e === ir) throw Error(c(174));
    return e;
  }
  function Di(e, t) {
    switch (oe(ur, t), oe(or, e), oe(gt, ir), e = t.nodeType, e) {
      case 9:
      case 11:
        t = (t = t.documentElement) ? t.namespaceURI : Fl(null, "");
        break;
      default:
        e = e === 8 ? t.parentNode : t, t = e.namespaceURI || null, e = e.tagName, t = Fl(t, e);
    }
    se(gt), oe(gt, t);
  }
  function Pn() {
    se(gt), se(or), se(ur);
  }
  function ps(e) {
    en(ur.current);
    var t = en(gt.current), n = Fl(t, e.type);
    t !== n && (oe(or, e), oe(gt, n));
  }
  function Fi(e) {
    or.current === e && (se(gt), se(or));
  }
  var fe = Dt(0);
  function rl(e) {
    for (var t = e; t !== null; ) {
      if (t.tag === 13) {
        var n = t.memoizedState;
        if (n !== null && (n = n.dehydrated, n === null || n.data === "$?" || n.data === "$!")) return t;
      } else if (t.tag === 19 && t.memoizedProps.revealOrder !== void 0) {
        if ((t.flags & 128) !== 0) return t;
      } else if (t.child !== null) {
        t.child.return = t, t = t.child;
        continue;
      }
      if (t === e) break;
      for (; t.sibling === null; ) {
        if (t.return === null || t.return === e) return null;
        t = t.return;
      }
      t.sibling.return = t.return, t = t.sibling;
    }
    return null;
  }
  var Ui = [];
  function $i() {
    for (var e = 0; e < Ui.length; e++) Ui[e]._workInProgressVersionPrimary = null;
    Ui.length = 0;
  }
  var ll = Se.ReactCurrentDispatcher, Ai = Se.ReactCurrentBatchConfig, tn = 0, de = null, _e = null, Ne = null, il = !1, sr = !1, ar = 0, of = 0;
  function De() {
    throw Error(c(321));
  }
  function Bi(e, t) {
    if (t === null) return !1;
    for (var n = 0; n < t.length && n < e.length; n++) if (!ct(e[n], t[n])) return !1;
    return !0;
  }
  function Vi(e, t, n, r, l, i) {
    if (tn = i, de = t, t.memoizedState = null, t.updateQueue = null, t.lanes = 0, ll.current = e === null || e.memoizedState === null ? cf : ff, e = n(r, l), sr) {
      i = 0;
      do {
        if (sr = !1, ar = 0, 25 <= i) throw Error(c(301));
        i += 1, Ne = _e = null, t.updateQueue = null, ll.current = df, e = n(r, l);
      } while (sr);
    }
    if (ll.current = sl, t = _e !== null && _e.next !== null, tn = 0, Ne = _e = de = null, il = !1, t) throw Error(c(300));
    return e;
  }
  function Wi() {
    var e = ar !== 0;
    return ar = 0, e;
  }
  function wt() {
    var e = { memoizedState: null, baseState: null, baseQueue: null, queue: null, next: null };
    return Ne === null ? de.memoizedState = Ne = e : Ne = Ne.next = e, Ne;
  }
  function ot() {
    if (_e === null) {
      var e = de.alternate;
      e = e !== null ? e.memoizedState : null;
    } else e = _e.next;
    var t = Ne === null ? de.memoizedState : Ne.next;
    if (t !== null) Ne = t, _e = e;
    else {
      if (e === null) throw Error(c(310));
      _e = e, e = { memoizedState: _e.memoizedState, baseState: _e.baseState, baseQueue: _e.baseQueue, queue: _e.queue, next: null }, Ne === null ? de.memoizedState = Ne = e : Ne = Ne.next = e;
    }
    return Ne;
  }
  function cr(e, t) {
    return typeof t == "function" ? t(e) : t;
  }
  function Hi(e) {
    var t = ot(), n = t.queue;
    if (n === null) throw Error(c(311));
    n.lastRenderedReducer = e;
    var r = _e, l = r.baseQueue, i = n.pending;
    if (i !== null) {
      if (l !== null) {
        var o = l.next;
        l.next = i.next, i.next = o;
      }
      r.baseQueue = l = i, n.pending = null;
    }
    if (l !== null) {
      i = l.next, r = r.baseState;
      var u = o = null, s = null, h = i;
      do {
        var w = h.lane;
        if ((tn & w) === w) s !== null && (s = s.next = { lane: 0, action: h.action, hasEagerState: h.hasEagerState, eagerState: h.eagerState, next: null }), r = h.hasEagerState ? h.eagerState : e(r, h.action);
        else {
          var k = {
            lane: w,
            action: h.action,
            hasEagerState: h.hasEagerState,
            eagerState: h.eagerState,
            next: null
          };
          s === null ? (u = s = k, o = r) : s = s.next = k, de.lanes |= w, nn |= w;
        }
        h = h.next;
      } while (h !== null && h !== i);
      s === null ? o = r : s.next = u, ct(r, t.memoizedState) || (Ke = !0), t.memoizedState = r, t.baseState = o, t.baseQueue = s, n.lastRenderedState = r;
    }
    if (e = n.interleaved, e !== null) {
      l = e;
      do
        i = l.lane, de.lanes |= i, nn |= i, l = l.next;
      while (l !== e);
    } else l === null && (n.lanes = 0);
    return [t.memoizedState, n.dispatch];
  }
  function Qi(e) {
    var t = ot(), n = t.queue;
    if (n === null) throw Error(c(311));
    n.lastRenderedReducer = e;
    var r = n.dispatch, l = n.pending, i = t.memoizedState;
    if (l !== null) {
      n.pending = null;
      var o = l = l.next;
      do
        i = e(i, o.action), o = o.next;
      while (o !== l);
      ct(i, t.memoizedState) || (Ke = !0), t.memoizedState = i, t.baseQueue === null && (t.baseState = i), n.lastRenderedState = i;
    }
    return [i, r];
  }
  function hs() {
  }
  function ms(e, t) {
    var n = de, r = ot(), l = t(), i = !ct(r.memoizedState, l);
    if (i && (r.memoizedState = l, Ke = !0), r = r.queue, Ki(gs.bind(null, n, r, e), [e]), r.getSnapshot !== t || i || Ne !== null && Ne.memoizedState.tag & 1) {
      if (n.flags |= 2048, fr(9, ys.bind(null, n, r, l, t), void 0, null), Pe === null) throw Error(c(349));
      (tn & 30) !== 0 || vs(n, t, l);
    }
    return l;
  }
  function vs(e, t, n) {
    e.flags |= 16384, e = { getSnapshot: t, value: n }, t = de.updateQueue, t === null ? (t = { lastEffect: null, stores: null }, de.updateQueue = t, t.stores = [e]) : (n = t.stores, n === null ? t.stores = [e] : n.push(e));
  }
  function ys(e, t, n, r) {
    t.value = n, t.getSnapshot = r, ws(t) && ks(e);
  }
  function gs(e, t, n) {
    return n(function() {
      ws(t) && ks(e);
    });
  }
  function ws(e) {
    var t = e.getSnapshot;
    e = e.value;
    try {
      var n = t();
      return !ct(e, n);
    } catch {
      return !0;
    }
  }
  function ks(e) {
    var t = Ct(e, 1);
    t !== null && mt(t, e, 1, -1);
  }
  function Ss(e) {
    var t = wt();
    return typeof e == "function" && (e = e()), t.memoizedState = t.baseState = e, e = { pending: null, interleaved: null, lanes: 0, dispatch: null, lastRenderedReducer: cr, lastRenderedState: e }, t.queue = e, e = e.dispatch = af.bind(null, de, e), [t.memoizedState, e];
  }
  function fr(e, t, n, r) {
    return e = { tag: e, create: t, destroy: n, deps: r, next: null }, t = de.updateQueue, t === null ? (t = { lastEffect: null, stores: null }, de.updateQueue = t, t.lastEffect = e.next = e) : (n = t.lastEffect, n === null ? t.lastEffect = e.next = e : (r = n.next, n.next = e, e.next = r, t.lastEffect = e)), e;
  }
  function xs() {
    return ot().memoizedState;
  }
  function ol(e, t, n, r) {
    var l = wt();
    de.flags |= e, l.memoizedState = fr(1 | t, n, void 0, r === void 0 ? null : r);
  }
  function ul(e, t, n, r) {
    var l = ot();
    r = r === void 0 ? null : r;
    var i = void 0;
    if (_e !== null) {
      var o = _e.memoizedState;
      if (i = o.destroy, r !== null && Bi(r, o.deps)) {
        l.memoizedState = fr(t, n, i, r);
        return;
      }
    }
    de.flags |= e, l.memoizedState = fr(1 | t, n, i, r);
  }
  function Es(e, t) {
    return ol(8390656, 8, e, t);
  }
  function Ki(e, t) {
    return ul(2048, 8, e, t);
  }
  function _s(e, t) {
    return ul(4, 2, e, t);
  }
  function Cs(e, t) {
    return ul(4, 4, e, t);
  }
  function Ns(e, t) {
    if (typeof t == "function") return e = e(), t(e), function() {
      t(null);
    };
    if (t != null) return e = e(), t.current = e, function() {
      t.current = null;
    };
  }
  function Ps(e, t, n) {
    return n = n != null ? n.concat([e]) : null, ul(4, 4, Ns.bind(null, t, e), n);
  }
  function Yi() {
  }
  function zs(e, t) {
    var n = ot();
    t = t === void 0 ? null : t;
    var r = n.memoizedState;
    return r !== null && t !== null && Bi(t, r[1]) ? r[0] : (n.memoizedState = [e, t], e);
  }
  function Ts(e, t) {
    var n = ot();
    t = t === void 0 ? null : t;
    var r = n.memoizedState;
    return r !== null && t !== null && Bi(t, r[1]) ? r[0] : (e = e(), n.memoizedState = [e, t], e);
  }
  function Ls(e, t, n) {
    return (tn & 21) === 0 ? (e.baseState && (e.baseState = !1, Ke = !0), e.memoizedState = n) : (ct(n, t) || (n = ou(), de.lanes |= n, nn |= n, e.baseState = !0), t);
  }
  function uf(e, t) {
    var n = le;
    le = n !== 0 && 4 > n ? n : 4, e(!0);
    var r = Ai.transition;
    Ai.transition = {};
    try {
      e(!1), t();
    } finally {
      le = n, Ai.transition = r;
    }
  }
  function js() {
    return ot().memoizedState;
  }
  function sf(e, t, n) {
    var r = Ht(e);
    if (n = { lane: r, action: n, hasEagerState: !1, eagerState: null, next: null }, Rs(e)) Is(t, n);
    else if (n = as(e, t, n, r), n !== null) {
      var l = Be();
      mt(n, e, r, l), Ms(n, t, r);
    }
  }
  function af(e, t, n) {
    var r = Ht(e), l = { lane: r, action: n, hasEagerState: !1, eagerState: null, next: null };
    if (Rs(e)) Is(t, l);
    else {
      var i = e.alternate;
      if (e.lanes === 0 && (i === null || i.lanes === 0) && (i = t.lastRenderedReducer, i !== null)) try {
        var o = t.lastRenderedState, u = i(o, n);
        if (l.hasEagerState = !0, l.eagerState = u, ct(u, o)) {
          var s = t.interleaved;
          s === null ? (l.next = l, Mi(t)) : (l.next = s.next, s.next = l), t.interleaved = l;
          return;
        }
      } catch {
      }
      n = as(e, t, l, r), n !== null && (l = Be(), mt(n, e, r, l), Ms(n, t, r));
    }
  }
  function Rs(e) {
    var t = e.alternate;
    return e === de || t !== null && t === de;
  }
  function Is(e, t) {
    sr = il = !0;
    var n = e.pending;
    n === null ? t.next = t : (t.next = n.next, n.next = t), e.pending = t;
  }
  function Ms(e, t, n) {
    if ((n & 4194240) !== 0) {
      var r = t.lanes;
      r &= e.pendingLanes, n |= r, t.lanes = n, Gl(e, n);
    }
  }
  var sl = { readContext: it, useCallback: De, useContext: De, useEffect: De, useImperativeHandle: De, useInsertionEffect: De, useLayoutEffect: De, useMemo: De, useReducer: De, useRef: De, useState: De, useDebugValue: De, useDeferredValue: De, useTransition: De, useMutableSource: De, useSyncExternalStore: De, useId: De, unstable_isNewReconciler: !1 }, cf = { readContext: it, useCallback: function(e, t) {
    return wt().memoizedState = [e, t === void 0 ? null : t], e;
  }, useContext: it, useEffect: Es, useImperativeHandle: function(e, t, n) {
    return n = n != null ? n.concat([e]) : null, ol(
      4194308,
      4,
      Ns.bind(null, t, e),
      n
    );
  }, useLayoutEffect: function(e, t) {
    return ol(4194308, 4, e, t);
  }, useInsertionEffect: function(e, t) {
    return ol(4, 2, e, t);
  }, useMemo: function(e, t) {
    var n = wt();
    return t = t === void 0 ? null : t, e = e(), n.memoizedState = [e, t], e;
  }, useReducer: function(e, t, n) {
    var r = wt();
    return t = n !== void 0 ? n(t) : t, r.memoizedState = r.baseState = t, e = { pending: null, interleaved: null, lanes: 0, dispatch: null, lastRenderedReducer: e, lastRenderedState: t }, r.queue = e, e = e.dispatch = sf.bind(null, de, e), [r.memoizedState, e];
  }, useRef: function(e) {
    var t = wt();
    return e = { current: e }, t.memoizedState = e;
  }, useState: Ss, useDebugValue: Yi, useDeferredValue: function(e) {
    return wt().memoizedState = e;
  }, useTransition: function() {
    var e = Ss(!1), t = e[0];
    return e = uf.bind(null, e[1]), wt().memoizedState = e, [t, e];
  }, useMutableSource: function() {
  }, useSyncExternalStore: function(e, t, n) {
    var r = de, l = wt();
    if (ce) {
      if (n === void 0) throw Error(c(407));
      n = n();
    } else {
      if (n = t(), Pe === null) throw Error(c(349));
      (tn & 30) !== 0 || vs(r, t, n);
    }
    l.memoizedState = n;
    var i = { value: n, getSnapshot: t };
    return l.queue = i, Es(gs.bind(
      null,
      r,
      i,
      e
    ), [e]), r.flags |= 2048, fr(9, ys.bind(null, r, i, n, t), void 0, null), n;
  }, useId: function() {
    var e = wt(), t = Pe.identifierPrefix;
    if (ce) {
      var n = _t, r = Et;
      n = (r & ~(1 << 32 - at(r) - 1)).toString(32) + n, t = ":" + t + "R" + n, n = ar++, 0 < n && (t += "H" + n.toString(32)), t += ":";
    } else n = of++, t = ":" + t + "r" + n.toString(32) + ":";
    return e.memoizedState = t;
  }, unstable_isNewReconciler: !1 }, ff = {
    readContext: it,
    useCallback: zs,
    useContext: it,
    useEffect: Ki,
    useImperativeHandle: Ps,
    useInsertionEffect: _s,
    useLayoutEffect: Cs,
    useMemo: Ts,
    useReducer: Hi,
    useRef: xs,
    useState: function() {
      return Hi(cr);
    },
    useDebugValue: Yi,
    useDeferredValue: function(e) {
      var t = ot();
      return Ls(t, _e.memoizedState, e);
    },
    useTransition: function() {
      var e = Hi(cr)[0], t = ot().memoizedState;
      return [e, t];
    },
    useMutableSource: hs,
    useSyncExternalStore: ms,
    useId: js,
    unstable_isNewReconciler: !1
  }, df = { readContext: it, useCallback: zs, useContext: it, useEffect: Ki, useImperativeHandle: Ps, useInsertionEffect: _s, useLayoutEffect: Cs, useMemo: Ts, useReducer: Qi, useRef: xs, useState: function() {
    return Qi(cr);
  }, useDebugValue: Yi, useDeferredValue: function(e) {
    var t = ot();
    return _e === null ? t.memoizedState = e : Ls(t, _e.memoizedState, e);
  }, useTransition: function() {
    var e = Qi(cr)[0], t = ot().memoizedState;
    return [e, t];
  }, useMutableSource: hs, useSyncExternalStore: ms, useId: js, unstable_isNewReconciler: !1 };
  function dt(e, t) {
    if (e && e.defaultProps) {
      t = T({}, t), e = e.defaultProps;
      for (var n in e) t[n] === void 0 && (t[n] = e[n]);
      return t;
    }
    return t;
  }
  function Xi(e, t, n, r) {
    t = e.memoizedState, n = n(r, t), n = n == null ? t : T({}, t, n), e.memoizedState = n, e.lanes === 0 && (e.updateQueue.baseState = n);
  }
  var al = { isMounted: function(e) {
    return (e = e._reactInternals) ? Xt(e) === e : !1;
  }, enqueueSetState: function(e, t, n) {
    e = e._reactInternals;
    var r = Be(), l = Ht(e), i = Nt(r, l);
    i.payload = t, n != null && (i.callback = n), t = At(e, i, l), t !== null && (mt(t, e, l, r), tl(t, e, l));
  }, enqueueReplaceState: function(e, t, n) {
    e = e._reactInternals;
    var r = Be(), l = Ht(e), i = Nt(r, l);
    i.tag = 1, i.payload = t, n != null && (i.callback = n), t = At(e, i, l), t !== null && (mt(t, e, l, r), tl(t, e, l));
  }, enqueueForceUpdate: function(e, t) {
    e = e._reactInternals;
    var n = Be(), r = Ht(e), l = Nt(n, r);
    l.tag = 2, t != null && (l.callback = t), t = At(e, l, r), t !== null && (mt(t, e, r, n), tl(t, e, r));
  } };
  function Os(e, t, n, r, l, i, o) {
    return e = e.stateNode, typeof e.shouldComponentUpdate == "function" ? e.shouldComponentUpdate(r, i, o) : t.prototype && t.prototype.isPureReactComponent ? !qn(n, r) || !qn(l, i) : !0;
  }
  function Ds(e, t, n) {
    var r = !1, l = Ft, i = t.contextType;
    return typeof i == "object" && i !== null ? i = it(i) : (l = Qe(t) ? Zt : Oe.current, r = t.contextTypes, i = (r = r != null) ? kn(e, l) : Ft), t = new t(n, i), e.memoizedState = t.state !== null && t.state !== void 0 ? t.state : null, t.updater = al, e.stateNode = t, t._reactInternals = e, r && (e = e.stateNode, e.__reactInternalMemoizedUnmaskedChildContext = l, e.__reactInternalMemoizedMaskedChildContext = i), t;
  }
  function Fs(e, t, n, r) {
    e = t.state, typeof t.componentWillReceiveProps == "function" && t.componentWillReceiveProps(n, r), typeof t.UNSAFE_componentWillReceiveProps == "function" && t.UNSAFE_componentWillReceiveProps(n, r), t.state !== e && al.enqueueReplaceState(t, t.state, null);
  }
  function Gi(e, t, n, r) {
    var l = e.stateNode;
    l.props = n, l.state = e.memoizedState, l.refs = {}, Oi(e);
    var i = t.contextType;
    typeof i == "object" && i !== null ? l.context = it(i) : (i = Qe(t) ? Zt : Oe.current, l.context = kn(e, i)), l.state = e.memoizedState, i = t.getDerivedStateFromProps, typeof i == "function" && (Xi(e, t, i, n), l.state = e.memoizedState), typeof t.getDerivedStateFromProps == "function" || typeof l.getSnapshotBeforeUpdate == "function" || typeof l.UNSAFE_componentWillMount != "function" && typeof l.componentWillMount != "function" || (t = l.state, typeof l.componentWillMount == "function" && l.componentWillMount(), typeof l.UNSAFE_componentWillMount == "function" && l.UNSAFE_componentWillMount(), t !== l.state && al.enqueueReplaceState(l, l.state, null), nl(e, n, l, r), l.state = e.memoizedState), typeof l.componentDidMount == "function" && (e.flags |= 4194308);
  }
  function zn(e, t) {
    try {
      var n = "", r = t;
      do
        n += q(r), r = r.return;
      while (r);
      var l = n;
    } catch (i) {
      l = `
Error generating stack: ` + i.message + `
` + i.stack;
    }
    return { value: e, source: t, stack: l, digest: null };
  }
  function Zi(e, t, n) {
    return { value: e, source: null, stack: n ?? null, digest: t ?? null };
  }
  function qi(e, t) {
    try {
      console.error(t.value);
    } catch (n) {
      setTimeout(function() {
        throw n;
      });
    }
  }
  var pf = typeof WeakMap == "function" ? WeakMap : Map;
  function Us(e, t, n) {
    n = Nt(-1, n), n.tag = 3, n.payload = { element: null };
    var r = t.value;
    return n.callback = function() {
      vl || (vl = !0, po = r), qi(e, t);
    }, n;
  }
  function $s(e, t, n) {
    n = Nt(-1, n), n.tag = 3;
    var r = e.type.getDerivedStateFromError;
    if (typeof r == "function") {
      var l = t.value;
      n.payload = function() {
        return r(l);
      }, n.callback = function() {
        qi(e, t);
      };
    }
    var i = e.stateNode;
    return i !== null && typeof i.componentDidCatch == "function" && (n.callback = function() {
      qi(e, t), typeof r != "function" && (Vt === null ? Vt = /* @__PURE__ */ new Set([this]) : Vt.add(this));
      var o = t.stack;
      this.componentDidCatch(t.value, { componentStack: o !== null ? o : "" });
    }), n;
  }
  function As(e, t, n) {
    var r = e.pingCache;
    if (r === null) {
      r = e.pingCache = new pf();
      var l = /* @__PURE__ */ new Set();
      r.set(t, l);
    } else l = r.get(t), l === void 0 && (l = /* @__PURE__ */ new Set(), r.set(t, l));
    l.has(n) || (l.add(n), e = Pf.bind(null, e, t, n), t.then(e, e));
  }
  function Bs(e) {
    do {
      var t;
      if ((t = e.tag === 13) && (t = e.memoizedState, t = t !== null ? t.dehydrated !== null : !0), t) return e;
      e = e.return;
    } while (e !== null);
    return null;
  }
  function Vs(e, t, n, r, l) {
    return (e.mode & 1) === 0 ? (e === t ? e.flags |= 65536 : (e.flags |= 128, n.flags |= 131072, n.flags &= -52805, n.tag === 1 && (n.alternate === null ? n.tag = 17 : (t = Nt(-1, 1), t.tag = 2, At(n, t, 1))), n.lanes |= 1), e) : (e.flags |= 65536, e.lanes = l, e);
  }
  var hf = Se.ReactCurrentOwner, Ke = !1;
  function Ae(e, t, n, r) {
    t.child = e === null ? ss(t, null, n, r) : _n(t, e.child, n, r);
  }
  function Ws(e, t, n, r, l) {
    n = n.render;
    var i = t.ref;
    return Nn(t, l), r = Vi(e, t, n, r, i, l), n = Wi(), e !== null && !Ke ? (t.updateQueue = e.updateQueue, t.flags &= -2053, e.lanes &= ~l, Pt(e, t, l)) : (ce && n && Ci(t), t.flags |= 1, Ae(e, t, r, l), t.child);
  }
  function Hs(e, t, n, r, l) {
    if (e === null) {
      var i = n.type;
      return typeof i == "function" && !ko(i) && i.defaultProps === void 0 && n.compare === null && n.defaultProps === void 0 ? (t.tag = 15, t.type = i, Qs(e, t, i, r, l)) : (e = xl(n.type, null, r, t, t.mode, l), e.ref = t.ref, e.return = t, t.child = e);
    }
    if (i = e.child, (e.lanes & l) === 0) {
      var o = i.memoizedProps;
      if (n = n.compare, n = n !== null ? n : qn, n(o, r) && e.ref === t.ref) return Pt(e, t, l);
    }
    return t.flags |= 1, e = Kt(i, r), e.ref = t.ref, e.return = t, t.child = e;
  }
  function Qs(e, t, n, r, l) {
    if (e !== null) {
      var i = e.memoizedProps;
      if (qn(i, r) && e.ref === t.ref) if (Ke = !1, t.pendingProps = r = i, (e.lanes & l) !== 0) (e.flags & 131072) !== 0 && (Ke = !0);
      else return t.lanes = e.lanes, Pt(e, t, l);
    }
    return Ji(e, t, n, r, l);
  }
  function Ks(e, t, n) {
    var r = t.pendingProps, l = r.children, i = e !== null ? e.memoizedState : null;
    if (r.mode === "hidden") if ((t.mode & 1) === 0) t.memoizedState = { baseLanes: 0, cachePool: null, transitions: null }, oe(Ln, et), et |= n;
    else {
      if ((n & 1073741824) === 0) return e = i !== null ? i.baseLanes | n : n, t.lanes = t.childLanes = 1073741824, t.memoizedState = { baseLanes: e, cachePool: null, transitions: null }, t.updateQueue = null, oe(Ln, et), et |= e, null;
      t.memoizedState = { baseLanes: 0, cachePool: null, transitions: null }, r = i !== null ? i.baseLanes : n, oe(Ln, et), et |= r;
    }
    else i !== null ? (r = i.baseLanes | n, t.memoizedState = null) : r = n, oe(Ln, et), et |= r;
    return Ae(e, t, l, n), t.child;
  }
  function Ys(e, t) {
    var n = t.ref;
    (e === null && n !== null || e !== null && e.ref !== n) && (t.flags |= 512, t.flags |= 2097152);
  }
  function Ji(e, t, n, r, l) {
    var i = Qe(n) ? Zt : Oe.current;
    return i = kn(t, i), Nn(t, l), n = Vi(e, t, n, r, i, l), r = Wi(), e !== null && !Ke ? (t.updateQueue = e.updateQueue, t.flags &= -2053, e.lanes &= ~l, Pt(e, t, l)) : (ce && r && Ci(t), t.flags |= 1, Ae(e, t, n, l), t.child);
  }
  function Xs(e, t, n, r, l) {
    if (Qe(n)) {
      var i = !0;
      Yr(t);
    } else i = !1;
    if (Nn(t, l), t.stateNode === null) fl(e, t), Ds(t, n, r), Gi(t, n, r, l), r = !0;
    else if (e === null) {
      var o = t.stateNode, u = t.memoizedProps;
      o.props = u;
      var s = o.context, h = n.contextType;
      typeof h == "object" && h !== null ? h = it(h) : (h = Qe(n) ? Zt : Oe.current, h = kn(t, h));
      var w = n.getDerivedStateFromProps, k = typeof w == "function" || typeof o.getSnapshotBeforeUpdate == "function";
      k || typeof o.UNSAFE_componentWillReceiveProps != "function" && typeof o.componentWillReceiveProps != "function" || (u !== r || s !== h) && Fs(t, o, r, h), $t = !1;
      var y = t.memoizedState;
      o.state = y, nl(t, r, o, l), s = t.memoizedState, u !== r || y !== s || He.current || $t ? (typeof w == "function" && (Xi(t, n, w, r), s = t.memoizedState), (u = $t || Os(t, n, u, r, y, s, h)) ? (k || typeof o.UNSAFE_componentWillMount != "function" && typeof o.componentWillMount != "function" || (typeof o.componentWillMount == "function" && o.componentWillMount(), typeof o.UNSAFE_componentWillMount == "function" && o.UNSAFE_componentWillMount()), typeof o.componentDidMount == "function" && (t.flags |= 4194308)) : (typeof o.componentDidMount == "function" && (t.flags |= 4194308), t.memoizedProps = r, t.memoizedState = s), o.props = r, o.state = s, o.context = h, r = u) : (typeof o.componentDidMount == "function" && (t.flags |= 4194308), r = !1);
    } else {
      o = t.stateNode, cs(e, t), u = t.memoizedProps, h = t.type === t.elementType ? u : dt(t.type, u), o.props = h, k = t.pendingProps, y = o.context, s = n.contextType, typeof s == "object" && s !== null ? s = it(s) : (s = Qe(n) ? Zt : Oe.current, s = kn(t, s));
      var C = n.getDerivedStateFromProps;
      (w = typeof C == "function" || typeof o.getSnapshotBeforeUpdate == "function") || typeof o.UNSAFE_componentWillReceiveProps != "function" && typeof o.componentWillReceiveProps != "function" || (u !== k || y !== s) && Fs(t, o, r, s), $t = !1, y = t.memoizedState, o.state = y, nl(t, r, o, l);
      var L = t.memoizedState;
      u !== k || y !== L || He.current || $t ? (typeof C == "function" && (Xi(t, n, C, r), L = t.memoizedState), (h = $t || Os(t, n, h, r, y, L, s) || !1) ? (w || typeof o.UNSAFE_componentWillUpdate != "function" && typeof o.componentWillUpdate != "function" || (typeof o.componentWillUpdate == "function" && o.componentWillUpdate(r, L, s), typeof o.UNSAFE_componentWillUpdate == "function" && o.UNSAFE_componentWillUpdate(r, L, s)), typeof o.componentDidUpdate == "function" && (t.flags |= 4), typeof o.getSnapshotBeforeUpdate == "function" && (t.flags |= 1024)) : (typeof o.componentDidUpdate != "function" || u === e.memoizedProps && y === e.memoizedState || (t.flags |= 4), typeof o.getSnapshotBeforeUpdate != "function" || u === e.memoizedProps && y === e.memoizedState || (t.flags |= 1024), t.memoizedProps = r, t.memoizedState = L), o.props = r, o.state = L, o.context = s, r = h) : (typeof o.componentDidUpdate != "function" || u === e.memoizedProps && y === e.memoizedState || (t.flags |= 4), typeof o.getSnapshotBeforeUpdate != "function" || u === e.memoizedProps && y === e.memoizedState || (t.flags |= 1024), r = !1);
    }
    return bi(e, t, n, r, i, l);
  }
  function bi(e, t, n, r, l, i) {
    Ys(e, t);
    var o = (t.flags & 128) !== 0;
    if (!r && !o) return l && bu(t, n, !1), Pt(e, t, i);
    r = t.stateNode, hf.current = t;
    var u = o && typeof n.getDerivedStateFromError != "function" ? null : r.render();
    return t.flags |= 1, e !== null && o ? (t.child = _n(t, e.child, null, i), t.child = _n(t, null, u, i)) : Ae(e, t, u, i), t.memoizedState = r.state, l && bu(t, n, !0), t.child;
  }
  function Gs(e) {
    var t = e.stateNode;
    t.pendingContext ? qu(e, t.pendingContext, t.pendingContext !== t.context) : t.context && qu(e, t.context, !1), Di(e, t.containerInfo);
  }
  function Zs(e, t, n, r, l) {
    return En(), Ti(l), t.flags |= 256, Ae(e, t, n, r), t.child;
  }
  var eo = { dehydrated: null, treeContext: null, retryLane: 0 };
  function to(e) {
    return { baseLanes: e, cachePool: null, transitions: null };
  }
  function qs(e, t, n) {
    var r = t.pendingProps, l = fe.current, i = !1, o = (t.flags & 128) !== 0, u;
    if ((u = o) || (u = e !== null && e.memoizedState === null ? !1 : (l & 2) !== 0), u ? (i = !0, t.flags &= -129) : (e === null || e.memoizedState !== null) && (l |= 1), oe(fe, l & 1), e === null)
      return zi(t), e = t.memoizedState, e !== null && (e = e.dehydrated, e !== null) ? ((t.mode & 1) === 0 ? t.lanes = 1 : e.data === "$!" ? t.lanes = 8 : t.lanes = 1073741824, null) : (o = r.children, e = r.fallback, i ? (r = t.mode, i = t.child, o = { mode: "hidden", children: o }, (r & 1) === 0 && i !== null ? (i.childLanes = 0, i.pendingProps = o) : i = El(o, r, 0, null), e = un(e, r, n, null), i.return = t, e.return = t, i.sibling = e, t.child = i, t.child.memoizedState = to(n), t.memoizedState = eo, e) : no(t, o));
    if (l = e.memoizedState, l !== null && (u = l.dehydrated, u !== null)) return mf(e, t, o, r, u, l, n);
    if (i) {
      i = r.fallback, o = t.mode, l = e.child, u = l.sibling;
      var s = { mode: "hidden", children: r.children };
      return (o & 1) === 0 && t.child !== l ? (r = t.child, r.childLanes = 0, r.pendingProps = s, t.deletions = null) : (r = Kt(l, s), r.subtreeFlags = l.subtreeFlags & 14680064), u !== null ? i = Kt(u, i) : (i = un(i, o, n, null), i.flags |= 2), i.return = t, r.return = t, r.sibling = i, t.child = r, r = i, i = t.child, o = e.child.memoizedState, o = o === null ? to(n) : { baseLanes: o.baseLanes | n, cachePool: null, transitions: o.transitions }, i.memoizedState = o, i.childLanes = e.childLanes & ~n, t.memoizedState = eo, r;
    }
    return i = e.child, e = i.sibling, r = Kt(i, { mode: "visible", children: r.children }), (t.mode & 1) === 0 && (r.lanes = n), r.return = t, r.sibling = null, e !== null && (n = t.deletions, n === null ? (t.deletions = [e], t.flags |= 16) : n.push(e)), t.child = r, t.memoizedState = null, r;
  }
  function no(e, t) {
    return t = El({ mode: "visible", children: t }, e.mode, 0, null), t.return = e, e.child = t;
  }
  function cl(e, t, n, r) {
    return r !== null && Ti(r), _n(t, e.child, null, n), e = no(t, t.pendingProps.children), e.flags |= 2, t.memoizedState = null, e;
  }
  function mf(e, t, n, r, l, i, o) {
    if (n)
      return t.flags & 256 ? (t.flags &= -257, r = Zi(Error(c(422))), cl(e, t, o, r)) : t.memoizedState !== null ? (t.child = e.child, t.flags |= 128, null) : (i = r.fallback, l = t.mode, r = El({ mode: "visible", children: r.children }, l, 0, null), i = un(i, l, o, null), i.flags |= 2, r.return = t, i.return = t, r.sibling = i, t.child = r, (t.mode & 1) !== 0 && _n(t, e.child, null, o), t.child.memoizedState = to(o), t.memoizedState = eo, i);
    if ((t.mode & 1) === 0) return cl(e, t, o, null);
    if (l.data === "$!") {
      if (r = l.nextSibling && l.nextSibling.dataset, r) var u = r.dgst;
      return r = u, i = Error(c(419)), r = Zi(i, r, void 0), cl(e, t, o, r);
    }
    if (u = (o & e.childLanes) !== 0, Ke || u) {
      if (r = Pe, r !== null) {
        switch (o & -o) {
          case 4:
            l = 2;
            break;
          case 16:
            l = 8;
            break;
          case 64:
          case 128:
          case 256:
          case 512:
          case 1024:
          case 2048:
          case 4096:
          case 8192:
          case 16384:
          case 32768:
          case 65536:
          case 131072:
          case 262144:
          case 524288:
          case 1048576:
          case 2097152:
          case 4194304:
          case 8388608:
          case 16777216:
          case 33554432:
          case 67108864:
            l = 32;
            break;
          case 536870912:
            l = 268435456;
            break;
          default:
            l = 0;
        }
        l = (l & (r.suspendedLanes | o)) !== 0 ? 0 : l, l !== 0 && l !== i.retryLane && (i.retryLane = l, Ct(e, l), mt(r, e, l, -1));
      }
      return wo(), r = Zi(Error(c(421))), cl(e, t, o, r);
    }
    return l.data === "$?" ? (t.flags |= 128, t.child = e.child, t = zf.bind(null, e), l._reactRetry = t, null) : (e = i.treeContext, be = Ot(l.nextSibling), Je = t, ce = !0, ft = null, e !== null && (rt[lt++] = Et, rt[lt++] = _t, rt[lt++] = qt, Et = e.id, _t = e.overflow, qt = t), t = no(t, r.children), t.flags |= 4096, t);
  }
  function Js(e, t, n) {
    e.lanes |= t;
    var r = e.alternate;
    r !== null && (r.lanes |= t), Ii(e.return, t, n);
  }
  function ro(e, t, n, r, l) {
    var i = e.memoizedState;
    i === null ? e.memoizedState = { isBackwards: t, rendering: null, renderingStartTime: 0, last: r, tail: n, tailMode: l } : (i.isBackwards = t, i.rendering = null, i.renderingStartTime = 0, i.last = r, i.tail = n, i.tailMode = l);
  }
  function bs(e, t, n) {
    var r = t.pendingProps, l = r.revealOrder, i = r.tail;
    if (Ae(e, t, r.children, n), r = fe.current, (r & 2) !== 0) r = r & 1 | 2, t.flags |= 128;
    else {
      if (e !== null && (e.flags & 128) !== 0) e: for (e = t.child; e !== null; ) {
        if (e.tag === 13) e.memoizedState !== null && Js(e, n, t);
        else if (e.tag === 19) Js(e, n, t);
        else if (e.child !== null) {
          e.child.return = e, e = e.child;
          continue;
        }
        if (e === t) break e;
        for (; e.sibling === null; ) {
          if (e.return === null || e.return === t) break e;
          e = e.return;
        }
        e.sibling.return = e.return, e = e.sibling;
      }
      r &= 1;
    }
    if (oe(fe, r), (t.mode & 1) === 0) t.memoizedState = null;
    else switch (l) {
      case "forwards":
        for (n = t.child, l = null; n !== null; ) e = n.alternate, e !== null && rl(e) === null && (l = n), n = n.sibling;
        n = l, n === null ? (l = t.child, t.child = null) : (l = n.sibling, n.sibling = null), ro(t, !1, l, n, i);
        break;
      case "backwards":
        for (n = null, l = t.child, t.child = null; l !== null; ) {
          if (e = l.alternate, e !== null && rl(e) === null) {
            t.child = l;
            break;
          }
          e = l.sibling, l.sibling = n, n = l, l = e;
        }
        ro(t, !0, n, null, i);
        break;
      case "together":
        ro(t, !1, null, null, void 0);
        break;
      default:
        t.memoizedState = null;
    }
    return t.child;
  }
  function fl(e, t) {
    (t.mode & 1) === 0 && e !== null && (e.alternate = null, t.alternate = null, t.flags |= 2);
  }
  function Pt(e, t, n) {
    if (e !== null && (t.dependencies = e.dependencies), nn |= t.lanes, (n & t.childLanes) === 0) return null;
    if (e !== null && t.child !== e.child) throw Error(c(153));
    if (t.child !== null) {
      for (e = t.child, n = Kt(e, e.pendingProps), t.child = n, n.return = t; e.sibling !== null; ) e = e.sibling, n = n.sibling = Kt(e, e.pendingProps), n.return = t;
      n.sibling = null;
    }
    return t.child;
  }
  function vf(e, t, n) {
    switch (t.tag) {
      case 3:
        Gs(t), En();
        break;
      case 5:
        ps(t);
        break;
      case 1:
        Qe(t.type) && Yr(t);
        break;
      case 4:
        Di(t, t.stateNode.containerInfo);
        break;
      case 10:
        var r = t.type._context, l = t.memoizedProps.value;
        oe(br, r._currentValue), r._currentValue = l;
        break;
      case 13:
        if (r = t.memoizedState, r !== null)
          return r.dehydrated !== null ? (oe(fe, fe.current & 1), t.flags |= 128, null) : (n & t.child.childLanes) !== 0 ? qs(e, t, n) : (oe(fe, fe.current & 1), e = Pt(e, t, n), e !== null ? e.sibling : null);
        oe(fe, fe.current & 1);
        break;
      case 19:
        if (r = (n & t.childLanes) !== 0, (e.flags & 128) !== 0) {
          if (r) return bs(e, t, n);
          t.flags |= 128;
        }
        if (l = t.memoizedState, l !== null && (l.rendering = null, l.tail = null, l.lastEffect = null), oe(fe, fe.current), r) break;
        return null;
      case 22:
      case 23:
        return t.lanes = 0, Ks(e, t, n);
    }
    return Pt(e, t, n);
  }
  var ea, lo, ta, na;
  ea = function(e, t) {
    for (var n = t.child; n !== null; ) {
      if (n.tag === 5 || n.tag === 6) e.appendChild(n.stateNode);
      else if (n.tag !== 4 && n.child !== null) {
        n.child.return = n, n = n.child;
        continue;
      }
      if (n === t) break;
      for (; n.sibling === null; ) {
        if (n.return === null || n.return === t) return;
        n = n.return;
      }
      n.sibling.return = n.return, n = n.sibling;
    }
  }, lo = function() {
  }, ta = function(e, t, n, r) {
    var l = e.memoizedProps;
    if (l !== r) {
      e = t.stateNode, en(gt.current);
      var i = null;
      switch (n) {
        case "input":
          l = Il(e, l), r = Il(e, r), i = [];
          break;
        case "select":
          l = T({}, l, { value: void 0 }), r = T({}, r, { value: void 0 }), i = [];
          break;
        case "textarea":
          l = Dl(e, l), r = Dl(e, r), i = [];
          break;
        default:
          typeof l.onClick != "function" && typeof r.onClick == "function" && (e.onclick = Hr);
      }
      Ul(n, r);
      var o;
      n = null;
      for (h in l) if (!r.hasOwnProperty(h) && l.hasOwnProperty(h) && l[h] != null) if (h === "style") {
        var u = l[h];
        for (o in u) u.hasOwnProperty(o) && (n || (n = {}), n[o] = "");
      } else h !== "dangerouslySetInnerHTML" && h !== "children" && h !== "suppressContentEditableWarning" && h !== "suppressHydrationWarning" && h !== "autoFocus" && (j.hasOwnProperty(h) ? i || (i = []) : (i = i || []).push(h, null));
      for (h in r) {
        var s = r[h];
        if (u = l?.[h], r.hasOwnProperty(h) && s !== u && (s != null || u != null)) if (h === "style") if (u) {
          for (o in u) !u.hasOwnProperty(o) || s && s.hasOwnProperty(o) || (n || (n = {}), n[o] = "");
          for (o in s) s.hasOwnProperty(o) && u[o] !== s[o] && (n || (n = {}), n[o] = s[o]);
        } else n || (i || (i = []), i.push(
          h,
          n
        )), n = s;
        else h === "dangerouslySetInnerHTML" ? (s = s ? s.__html : void 0, u = u ? u.__html : void 0, s != null && u !== s && (i = i || []).push(h, s)) : h === "children" ? typeof s != "string" && typeof s != "number" || (i = i || []).push(h, "" + s) : h !== "suppressContentEditableWarning" && h !== "suppressHydrationWarning" && (j.hasOwnProperty(h) ? (s != null && h === "onScroll" && ue("scroll", e), i || u === s || (i = [])) : (i = i || []).push(h, s));
      }
      n && (i = i || []).push("style", n);
      var h = i;
      (t.updateQueue = h) && (t.flags |= 4);
    }
  }, na = function(e, t, n, r) {
    n !== r && (t.flags |= 4);
  };
  function dr(e, t) {
    if (!ce) switch (e.tailMode) {
      case "hidden":
        t = e.tail;
        for (var n = null; t !== null; ) t.alternate !== null && (n = t), t = t.sibling;
        n === null ? e.tail = null : n.sibling = null;
        break;
      case "collapsed":
        n = e.tail;
        for (var r = null; n !== null; ) n.alternate !== null && (r = n), n = n.sibling;
        r === null ? t || e.tail === null ? e.tail = null : e.tail.sibling = null : r.sibling = null;
    }
  }
  function Fe(e) {
    var t = e.alternate !== null && e.alternate.child === e.child, n = 0, r = 0;
    if (t) for (var l = e.child; l !== null; ) n |= l.lanes | l.childLanes, r |= l.subtreeFlags & 14680064, r |= l.flags & 14680064, l.return = e, l = l.sibling;
    else for (l = e.child; l !== null; ) n |= l.lanes | l.childLanes, r |= l.subtreeFlags, r |= l.flags, l.return = e, l = l.sibling;
    return e.subtreeFlags |= r, e.childLanes = n, t;
  }
  function yf(e, t, n) {
    var r = t.pendingProps;
    switch (Ni(t), t.tag) {
      case 2:
      case 16:
      case 15:
      case 0:
      case 11:
      case 7:
      case 8:
      case 12:
      case 9:
      case 14:
        return Fe(t), null;
      case 1:
        return Qe(t.type) && Kr(), Fe(t), null;
      case 3:
        return r = t.stateNode, Pn(), se(He), se(Oe), $i(), r.pendingContext && (r.context = r.pendingContext, r.pendingContext = null), (e === null || e.child === null) && (qr(t) ? t.flags |= 4 : e === null || e.memoizedState.isDehydrated && (t.flags & 256) === 0 || (t.flags |= 1024, ft !== null && (vo(ft), ft = null))), lo(e, t), Fe(t), null;
      case 5:
        Fi(t);
        var l = en(ur.current);
        if (n = t.type, e !== null && t.stateNode != null) ta(e, t, n, r, l), e.ref !== t.ref && (t.flags |= 512, t.flags |= 2097152);
        else {
          if (!r) {
            if (t.stateNode === null) throw Error(c(166));
            return Fe(t), null;
          }
          if (e = en(gt.current), qr(t)) {
            r = t.stateNode, n = t.type;
            var i = t.memoizedProps;
            switch (r[yt] = t, r[nr] = i, e = (t.mode & 1) !== 0, n) {
              case "dialog":
                ue("cancel", r), ue("close", r);
                break;
              case "iframe":
              case "object":
              case "embed":
                ue("load", r);
                break;
              case "video":
              case "audio":
                for (l = 0; l < bn.length; l++) ue(bn[l], r);
                break;
              case "source":
                ue("error", r);
                break;
              case "img":
              case "image":
              case "link":
                ue(
                  "error",
                  r
                ), ue("load", r);
                break;
              case "details":
                ue("toggle", r);
                break;
              case "input":
                Do(r, i), ue("invalid", r);
                break;
              case "select":
                r._wrapperState = { wasMultiple: !!i.multiple }, ue("invalid", r);
                break;
              case "textarea":
                $o(r, i), ue("invalid", r);
            }
            Ul(n, i), l = null;
            for (var o in i) if (i.hasOwnProperty(o)) {
              var u = i[o];
              o === "children" ? typeof u == "string" ? r.textContent !== u && (i.suppressHydrationWarning !== !0 && Wr(r.textContent, u, e), l = ["children", u]) : typeof u == "number" && r.textContent !== "" + u && (i.suppressHydrationWarning !== !0 && Wr(
                r.textContent,
                u,
                e
              ), l = ["children", "" + u]) : j.hasOwnProperty(o) && u != null && o === "onScroll" && ue("scroll", r);
            }
            switch (n) {
              case "input":
                kr(r), Uo(r, i, !0);
                break;
              case "textarea":
                kr(r), Bo(r);
                break;
              case "select":
              case "option":
                break;
              default:
                typeof i.onClick == "function" && (r.onclick = Hr);
            }
            r = l, t.updateQueue = r, r !== null && (t.flags |= 4);
          } else {
            o = l.nodeType === 9 ? l : l.ownerDocument, e === "http://www.w3.org/1999/xhtml" && (e = Vo(n)), e === "http://www.w3.org/1999/xhtml" ? n === "script" ? (e = o.createElement("div"), e.innerHTML = "<script><\/script>", e = e.removeChild(e.firstChild)) : typeof r.is == "string" ? e = o.createElement(n, { is: r.is }) : (e = o.createElement(n), n === "select" && (o = e, r.multiple ? o.multiple = !0 : r.size && (o.size = r.size))) : e = o.createElementNS(e, n), e[yt] = t, e[nr] = r, ea(e, t, !1, !1), t.stateNode = e;
            e: {
              switch (o = $l(n, r), n) {
                case "dialog":
                  ue("cancel", e), ue("close", e), l = r;
                  break;
                case "iframe":
                case "object":
                case "embed":
                  ue("load", e), l = r;
                  break;
                case "video":
                case "audio":
                  for (l = 0; l < bn.length; l++) ue(bn[l], e);
                  l = r;
                  break;
                case "source":
                  ue("error", e), l = r;
                  break;
                case "img":
                case "image":
                case "link":
                  ue(
                    "error",
                    e
                  ), ue("load", e), l = r;
                  break;
                case "details":
                  ue("toggle", e), l = r;
                  break;
                case "input":
                  Do(e, r), l = Il(e, r), ue("invalid", e);
                  break;
                case "option":
                  l = r;
                  break;
                case "select":
                  e._wrapperState = { wasMultiple: !!r.multiple }, l = T({}, r, { value: void 0 }), ue("invalid", e);
                  break;
                case "textarea":
                  $o(e, r), l = Dl(e, r), ue("invalid", e);
                  break;
                default:
                  l = r;
              }
              Ul(n, l), u = l;
              for (i in u) if (u.hasOwnProperty(i)) {
                var s = u[i];
                i === "style" ? Qo(e, s) : i === "dangerouslySetInnerHTML" ? (s = s ? s.__html : void 0, s != null && Wo(e, s)) : i === "children" ? typeof s == "string" ? (n !== "textarea" || s !== "") && Mn(e, s) : typeof s == "number" && Mn(e, "" + s) : i !== "suppressContentEditableWarning" && i !== "suppressHydrationWarning" && i !== "autoFocus" && (j.hasOwnProperty(i) ? s != null && i === "onScroll" && ue("scroll", e) : s != null && ke(e, i, s, o));
              }
              switch (n) {
                case "input":
                  kr(e), Uo(e, r, !1);
                  break;
                case "textarea":
                  kr(e), Bo(e);
                  break;
                case "option":
                  r.value != null && e.setAttribute("value", "" + re(r.value));
                  break;
                case "select":
                  e.multiple = !!r.multiple, i = r.value, i != null ? sn(e, !!r.multiple, i, !1) : r.defaultValue != null && sn(
                    e,
                    !!r.multiple,
                    r.defaultValue,
                    !0
                  );
                  break;
                default:
                  typeof l.onClick == "function" && (e.onclick = Hr);
              }
              switch (n) {
                case "button":
                case "input":
                case "select":
                case "textarea":
                  r = !!r.autoFocus;
                  break e;
                case "img":
                  r = !0;
                  break e;
                default:
                  r = !1;
              }
            }
            r && (t.flags |= 4);
          }
          t.ref !== null && (t.flags |= 512, t.flags |= 2097152);
        }
        return Fe(t), null;
      case 6:
        if (e && t.stateNode != null) na(e, t, e.memoizedProps, r);
        else {
          if (typeof r != "string" && t.stateNode === null) throw Error(c(166));
          if (n = en(ur.current), en(gt.current), qr(t)) {
            if (r = t.stateNode, n = t.memoizedProps, r[yt] = t, (i = r.nodeValue !== n) && (e = Je, e !== null)) switch (e.tag) {
              case 3:
                Wr(r.nodeValue, n, (e.mode & 1) !== 0);
                break;
              case 5:
                e.memoizedProps.suppressHydrationWarning !== !0 && Wr(r.nodeValue, n, (e.mode & 1) !== 0);
            }
            i && (t.flags |= 4);
          } else r = (n.nodeType === 9 ? n : n.ownerDocument).createTextNode(r), r[yt] = t, t.stateNode = r;
        }
        return Fe(t), null;
      case 13:
        if (se(fe), r = t.memoizedState, e === null || e.memoizedState !== null && e.memoizedState.dehydrated !== null) {
          if (ce && be !== null && (t.mode & 1) !== 0 && (t.flags & 128) === 0) is(), En(), t.flags |= 98560, i = !1;
          else if (i = qr(t), r !== null && r.dehydrated !== null) {
            if (e === null) {
              if (!i) throw Error(c(318));
              if (i = t.memoizedState, i = i !== null ? i.dehydrated : null, !i) throw Error(c(317));
              i[yt] = t;
            } else En(), (t.flags & 128) === 0 && (t.memoizedState = null), t.flags |= 4;
            Fe(t), i = !1;
          } else ft !== null && (vo(ft), ft = null), i = !0;
          if (!i) return t.flags & 65536 ? t : null;
        }
        return (t.flags & 128) !== 0 ? (t.lanes = n, t) : (r = r !== null, r !== (e !== null && e.memoizedState !== null) && r && (t.child.flags |= 8192, (t.mode & 1) !== 0 && (e === null || (fe.current & 1) !== 0 ? Ce === 0 && (Ce = 3) : wo())), t.updateQueue !== null && (t.flags |= 4), Fe(t), null);
      case 4:
        return Pn(), lo(e, t), e === null && er(t.stateNode.containerInfo), Fe(t), null;
      case 10:
        return Ri(t.type._context), Fe(t), null;
      case 17:
        return Qe(t.type) && Kr(), Fe(t), null;
      case 19:
        if (se(fe), i = t.memoizedState, i === null) return Fe(t), null;
        if (r = (t.flags & 128) !== 0, o = i.rendering, o === null) if (r) dr(i, !1);
        else {
          if (Ce !== 0 || e !== null && (e.flags & 128) !== 0) for (e = t.child; e !== null; ) {
            if (o = rl(e), o !== null) {
              for (t.flags |= 128, dr(i, !1), r = o.updateQueue, r !== null && (t.updateQueue = r, t.flags |= 4), t.subtreeFlags = 0, r = n, n = t.child; n !== null; ) i = n, e = r, i.flags &= 14680066, o = i.alternate, o === null ? (i.childLanes = 0, i.lanes = e, i.child = null, i.subtreeFlags = 0, i.memoizedProps = null, i.memoizedState = null, i.updateQueue = null, i.dependencies = null, i.stateNode = null) : (i.childLanes = o.childLanes, i.lanes = o.lanes, i.child = o.child, i.subtreeFlags = 0, i.deletions = null, i.memoizedProps = o.memoizedProps, i.memoizedState = o.memoizedState, i.updateQueue = o.updateQueue, i.type = o.type, e = o.dependencies, i.dependencies = e === null ? null : { lanes: e.lanes, firstContext: e.firstContext }), n = n.sibling;
              return oe(fe, fe.current & 1 | 2), t.child;
            }
            e = e.sibling;
          }
          i.tail !== null && he() > jn && (t.flags |= 128, r = !0, dr(i, !1), t.lanes = 4194304);
        }
        else {
          if (!r) if (e = rl(o), e !== null) {
            if (t.flags |= 128, r = !0, n = e.updateQueue, n !== null && (t.updateQueue = n, t.flags |= 4), dr(i, !0), i.tail === null && i.tailMode === "hidden" && !o.alternate && !ce) return Fe(t), null;
          } else 2 * he() - i.renderingStartTime > jn && n !== 1073741824 && (t.flags |= 128, r = !0, dr(i, !1), t.lanes = 4194304);
          i.isBackwards ? (o.sibling = t.child, t.child = o) : (n = i.last, n !== null ? n.sibling = o : t.child = o, i.last = o);
        }
        return i.tail !== null ? (t = i.tail, i.rendering = t, i.tail = t.sibling, i.renderingStartTime = he(), t.sibling = null, n = fe.current, oe(fe, r ? n & 1 | 2 : n & 1), t) : (Fe(t), null);
      case 22:
      case 23:
        return go(), r = t.memoizedState !== null, e !== null && e.memoizedState !== null !== r && (t.flags |= 8192), r && (t.mode & 1) !== 0 ? (et & 1073741824) !== 0 && (Fe(t), t.subtreeFlags & 6 && (t.flags |= 8192)) : Fe(t), null;
      case 24:
        return null;
      case 25:
        return null;
    }
    throw Error(c(156, t.tag));
  }
  function gf(e, t) {
    switch (Ni(t), t.tag) {
      case 1:
        return Qe(t.type) && Kr(), e = t.flags, e & 65536 ? (t.flags = e & -65537 | 128, t) : null;
      case 3:
        return Pn(), se(He), se(Oe), $i(), e = t.flags, (e & 65536) !== 0 && (e & 128) === 0 ? (t.flags = e & -65537 | 128, t) : null;
      case 5:
        return Fi(t), null;
      case 13:
        if (se(fe), e = t.memoizedState, e !== null && e.dehydrated !== null) {
          if (t.alternate === null) throw Error(c(340));
          En();
        }
        return e = t.flags, e & 65536 ? (t.flags = e & -65537 | 128, t) : null;
      case 19:
        return se(fe), null;
      case 4:
        return Pn(), null;
      case 10:
        return Ri(t.type._context), null;
      case 22:
      case 23:
        return go(), null;
      case 24:
        return null;
      default:
        return null;
    }
  }
  var dl = !1, Ue = !1, wf = typeof WeakSet == "function" ? WeakSet : Set, z = null;
  function Tn(e, t) {
    var n = e.ref;
    if (n !== null) if (typeof n == "function") try {
      n(null);
    } catch (r) {
      pe(e, t, r);
    }
    else n.current = null;
  }
  function io(e, t, n) {
    try {
      n();
    } catch (r) {
      pe(e, t, r);
    }
  }
  var ra = !1;
  function kf(e, t) {
    if (yi = Rr, e = Ou(), ai(e)) {
      if ("selectionStart" in e) var n = { start: e.selectionStart, end: e.selectionEnd };
      else e: {
        n = (n = e.ownerDocument) && n.defaultView || window;
        var r = n.getSelection && n.getSelection();
        if (r && r.rangeCount !== 0) {
          n = r.anchorNode;
          var l = r.anchorOffset, i = r.focusNode;
          r = r.focusOffset;
          try {
            n.nodeType, i.nodeType;
          } catch {
            n = null;
            break e;
          }
          var o = 0, u = -1, s = -1, h = 0, w = 0, k = e, y = null;
          t: for (; ; ) {
            for (var C; k !== n || l !== 0 && k.nodeType !== 3 || (u = o + l), k !== i || r !== 0 && k.nodeType !== 3 || (s = o + r), k.nodeType === 3 && (o += k.nodeValue.length), (C = k.firstChild) !== null; )
              y = k, k = C;
            for (; ; ) {
              if (k === e) break t;
              if (y === n && ++h === l && (u = o), y === i && ++w === r && (s = o), (C = k.nextSibling) !== null) break;
              k = y, y = k.parentNode;
            }
            k = C;
          }
          n = u === -1 || s === -1 ? null : { start: u, end: s };
        } else n = null;
      }
      n = n || { start: 0, end: 0 };
    } else n = null;
    for (gi = { focusedElem: e, selectionRange: n }, Rr = !1, z = t; z !== null; ) if (t = z, e = t.child, (t.subtreeFlags & 1028) !== 0 && e !== null) e.return = t, z = e;
    else for (; z !== null; ) {
      t = z;
      try {
        var L = t.alternate;
        if ((t.flags & 1024) !== 0) switch (t.tag) {
          case 0:
          case 11:
          case 15:
            break;
          case 1:
            if (L !== null) {
              var R = L.memoizedProps, me = L.memoizedState, d = t.stateNode, a = d.getSnapshotBeforeUpdate(t.elementType === t.type ? R : dt(t.type, R), me);
              d.__reactInternalSnapshotBeforeUpdate = a;
            }
            break;
          case 3:
            var p = t.stateNode.containerInfo;
            p.nodeType === 1 ? p.textContent = "" : p.nodeType === 9 && p.documentElement && p.removeChild(p.documentElement);
            break;
          case 5:
          case 6:
          case 4:
          case 17:
            break;
          default:
            throw Error(c(163));
        }
      } catch (x) {
        pe(t, t.return, x);
      }
      if (e = t.sibling, e !== null) {
        e.return = t.return, z = e;
        break;
      }
      z = t.return;
    }
    return L = ra, ra = !1, L;
  }
  function pr(e, t, n) {
    var r = t.updateQueue;
    if (r = r !== null ? r.lastEffect : null, r !== null) {
      var l = r = r.next;
      do {
        if ((l.tag & e) === e) {
          var i = l.destroy;
          l.destroy = void 0, i !== void 0 && io(t, n, i);
        }
        l = l.next;
      } while (l !== r);
    }
  }
  function pl(e, t) {
    if (t = t.updateQueue, t = t !== null ? t.lastEffect : null, t !== null) {
      var n = t = t.next;
      do {
        if ((n.tag & e) === e) {
          var r = n.create;
          n.destroy = r();
        }
        n = n.next;
      } while (n !== t);
    }
  }
  function oo(e) {
    var t = e.ref;
    if (t !== null) {
      var n = e.stateNode;
      e.tag, e = n, typeof t == "function" ? t(e) : t.current = e;
    }
  }
  function la(e) {
    var t = e.alternate;
    t !== null && (e.alternate = null, la(t)), e.child = null, e.deletions = null, e.sibling = null, e.tag === 5 && (t = e.stateNode, t !== null && (delete t[yt], delete t[nr], delete t[xi], delete t[tf], delete t[nf])), e.stateNode = null, e.return = null, e.dependencies = null, e.memoizedProps = null, e.memoizedState = null, e.pendingProps = null, e.stateNode = null, e.updateQueue = null;
  }
  function ia(e) {
    return e.tag === 5 || e.tag === 3 || e.tag === 4;
  }
  function oa(e) {
    e: for (; ; ) {
      for (; e.sibling === null; ) {
        if (e.return === null || ia(e.return)) return null;
        e = e.return;
      }
      for (e.sibling.return = e.return, e = e.sibling; e.tag !== 5 && e.tag !== 6 && e.tag !== 18; ) {
        if (e.flags & 2 || e.child === null || e.tag === 4) continue e;
        e.child.return = e, e = e.child;
      }
      if (!(e.flags & 2)) return e.stateNode;
    }
  }
  function uo(e, t, n) {
    var r = e.tag;
    if (r === 5 || r === 6) e = e.stateNode, t ? n.nodeType === 8 ? n.parentNode.insertBefore(e, t) : n.insertBefore(e, t) : (n.nodeType === 8 ? (t = n.parentNode, t.insertBefore(e, n)) : (t = n, t.appendChild(e)), n = n._reactRootContainer, n != null || t.onclick !== null || (t.onclick = Hr));
    else if (r !== 4 && (e = e.child, e !== null)) for (uo(e, t, n), e = e.sibling; e !== null; ) uo(e, t, n), e = e.sibling;
  }
  function so(e, t, n) {
    var r = e.tag;
    if (r === 5 || r === 6) e = e.stateNode, t ? n.insertBefore(e, t) : n.appendChild(e);
    else if (r !== 4 && (e = e.child, e !== null)) for (so(e, t, n), e = e.sibling; e !== null; ) so(e, t, n), e = e.sibling;
  }
  var je = null, pt = !1;
  function Bt(e, t, n) {
    for (n = n.child; n !== null; ) ua(e, t, n), n = n.sibling;
  }
  function ua(e, t, n) {
    if (vt && typeof vt.onCommitFiberUnmount == "function") try {
      vt.onCommitFiberUnmount(Nr, n);
    } catch {
    }
    switch (n.tag) {
      case 5:
        Ue || Tn(n, t);
      case 6:
        var r = je, l = pt;
        je = null, Bt(e, t, n), je = r, pt = l, je !== null && (pt ? (e = je, n = n.stateNode, e.nodeType === 8 ? e.parentNode.removeChild(n) : e.removeChild(n)) : je.removeChild(n.stateNode));
        break;
      case 18:
        je !== null && (pt ? (e = je, n = n.stateNode, e.nodeType === 8 ? Si(e.parentNode, n) : e.nodeType === 1 && Si(e, n), Qn(e)) : Si(je, n.stateNode));
        break;
      case 4:
        r = je, l = pt, je = n.stateNode.containerInfo, pt = !0, Bt(e, t, n), je = r, pt = l;
        break;
      case 0:
      case 11:
      case 14:
      case 15:
        if (!Ue && (r = n.updateQueue, r !== null && (r = r.lastEffect, r !== null))) {
          l = r = r.next;
          do {
            var i = l, o = i.destroy;
            i = i.tag, o !== void 0 && ((i & 2) !== 0 || (i & 4) !== 0) && io(n, t, o), l = l.next;
          } while (l !== r);
        }
        Bt(e, t, n);
        break;
      case 1:
        if (!Ue && (Tn(n, t), r = n.stateNode, typeof r.componentWillUnmount == "function")) try {
          r.props = n.memoizedProps, r.state = n.memoizedState, r.componentWillUnmount();
        } catch (u) {
          pe(n, t, u);
        }
        Bt(e, t, n);
        break;
      case 21:
        Bt(e, t, n);
        break;
      case 22:
        n.mode & 1 ? (Ue = (r = Ue) || n.memoizedState !== null, Bt(e, t, n), Ue = r) : Bt(e, t, n);
        break;
      default:
        Bt(e, t, n);
    }
  }
  function sa(e) {
    var t = e.updateQueue;
    if (t !== null) {
      e.updateQueue = null;
      var n = e.stateNode;
      n === null && (n = e.stateNode = new wf()), t.forEach(function(r) {
        var l = Tf.bind(null, e, r);
        n.has(r) || (n.add(r), r.then(l, l));
      });
    }
  }
  function ht(e, t) {
    var n = t.deletions;
    if (n !== null) for (var r = 0; r < n.length; r++) {
      var l = n[r];
      try {
        var i = e, o = t, u = o;
        e: for (; u !== null; ) {
          switch (u.tag) {
            case 5:
              je = u.stateNode, pt = !1;
              break e;
            case 3:
              je = u.stateNode.containerInfo, pt = !0;
              break e;
            case 4:
              je = u.stateNode.containerInfo, pt = !0;
              break e;
          }
          u = u.return;
        }
        if (je === null) throw Error(c(160));
        ua(i, o, l), je = null, pt = !1;
        var s = l.alternate;
        s !== null && (s.return = null), l.return = null;
      } catch (h) {
        pe(l, t, h);
      }
    }
    if (t.subtreeFlags & 12854) for (t = t.child; t !== null; ) aa(t, e), t = t.sibling;
  }
  function aa(e, t) {
    var n = e.alternate, r = e.flags;
    switch (e.tag) {
      case 0:
      case 11:
      case 14:
      case 15:
        if (ht(t, e), kt(e), r & 4) {
          try {
            pr(3, e, e.return), pl(3, e);
          } catch (R) {
            pe(e, e.return, R);
          }
          try {
            pr(5, e, e.return);
          } catch (R) {
            pe(e, e.return, R);
          }
        }
        break;
      case 1:
        ht(t, e), kt(e), r & 512 && n !== null && Tn(n, n.return);
        break;
      case 5:
        if (ht(t, e), kt(e), r & 512 && n !== null && Tn(n, n.return), e.flags & 32) {
          var l = e.stateNode;
          try {
            Mn(l, "");
          } catch (R) {
            pe(e, e.return, R);
          }
        }
        if (r & 4 && (l = e.stateNode, l != null)) {
          var i = e.memoizedProps, o = n !== null ? n.memoizedProps : i, u = e.type, s = e.updateQueue;
          if (e.updateQueue = null, s !== null) try {
            u === "input" && i.type === "radio" && i.name != null && Fo(l, i), $l(u, o);
            var h = $l(u, i);
            for (o = 0; o < s.length; o += 2) {
              var w = s[o], k = s[o + 1];
              w === "style" ? Qo(l, k) : w === "dangerouslySetInnerHTML" ? Wo(l, k) : w === "children" ? Mn(l, k) : ke(l, w, k, h);
            }
            switch (u) {
              case "input":
                Ml(l, i);
                break;
              case "textarea":
                Ao(l, i);
                break;
              case "select":
                var y = l._wrapperState.wasMultiple;
                l._wrapperState.wasMultiple = !!i.multiple;
                var C = i.value;
                C != null ? sn(l, !!i.multiple, C, !1) : y !== !!i.multiple && (i.defaultValue != null ? sn(
                  l,
                  !!i.multiple,
                  i.defaultValue,
                  !0
                ) : sn(l, !!i.multiple, i.multiple ? [] : "", !1));
            }
            l[nr] = i;
          } catch (R) {
            pe(e, e.return, R);
          }
        }
        break;
      case 6:
        if (ht(t, e), kt(e), r & 4) {
          if (e.stateNode === null) throw Error(c(162));
          l = e.stateNode, i = e.memoizedProps;
          try {
            l.nodeValue = i;
          } catch (R) {
            pe(e, e.return, R);
          }
        }
        break;
      case 3:
        if (ht(t, e), kt(e), r & 4 && n !== null && n.memoizedState.isDehydrated) try {
          Qn(t.containerInfo);
        } catch (R) {
          pe(e, e.return, R);
        }
        break;
      case 4:
        ht(t, e), kt(e);
        break;
      case 13:
        ht(t, e), kt(e), l = e.child, l.flags & 8192 && (i = l.memoizedState !== null, l.stateNode.isHidden = i, !i || l.alternate !== null && l.alternate.memoizedState !== null || (fo = he())), r & 4 && sa(e);
        break;
      case 22:
        if (w = n !== null && n.memoizedState !== null, e.mode & 1 ? (Ue = (h = Ue) || w, ht(t, e), Ue = h) : ht(t, e), kt(e), r & 8192) {
          if (h = e.memoizedState !== null, (e.stateNode.isHidden = h) && !w && (e.mode & 1) !== 0) for (z = e, w = e.child; w !== null; ) {
            for (k = z = w; z !== null; ) {
              switch (y = z, C = y.child, y.tag) {
                case 0:
                case 11:
                case 14:
                case 15:
                  pr(4, y, y.return);
                  break;
                case 1:
                  Tn(y, y.return);
                  var L = y.stateNode;
                  if (typeof L.componentWillUnmount == "function") {
                    r = y, n = y.return;
                    try {
                      t = r, L.props = t.memoizedProps, L.state = t.memoizedState, L.componentWillUnmount();
                    } catch (R) {
                      pe(r, n, R);
                    }
                  }
                  break;
                case 5:
                  Tn(y, y.return);
                  break;
                case 22:
                  if (y.memoizedState !== null) {
                    da(k);
                    continue;
                  }
              }
              C !== null ? (C.return = y, z = C) : da(k);
            }
            w = w.sibling;
          }
          e: for (w = null, k = e; ; ) {
            if (k.tag === 5) {
              if (w === null) {
                w = k;
                try {
                  l = k.stateNode, h ? (i = l.style, typeof i.setProperty == "function" ? i.setProperty("display", "none", "important") : i.display = "none") : (u = k.stateNode, s = k.memoizedProps.style, o = s != null && s.hasOwnProperty("display") ? s.display : null, u.style.display = Ho("display", o));
                } catch (R) {
                  pe(e, e.return, R);
                }
              }
            } else if (k.tag === 6) {
              if (w === null) try {
                k.stateNode.nodeValue = h ? "" : k.memoizedProps;
              } catch (R) {
                pe(e, e.return, R);
              }
            } else if ((k.tag !== 22 && k.tag !== 23 || k.memoizedState === null || k === e) && k.child !== null) {
              k.child.return = k, k = k.child;
              continue;
            }
            if (k === e) break e;
            for (; k.sibling === null; ) {
              if (k.return === null || k.return === e) break e;
              w === k && (w = null), k = k.return;
            }
            w === k && (w = null), k.sibling.return = k.return, k = k.sibling;
          }
        }
        break;
      case 19:
        ht(t, e), kt(e), r & 4 && sa(e);
        break;
      case 21:
        break;
      default:
        ht(
          t,
          e
        ), kt(e);
    }
  }
  function kt(e) {
    var t = e.flags;
    if (t & 2) {
      try {
        e: {
          for (var n = e.return; n !== null; ) {
            if (ia(n)) {
              var r = n;
              break e;
            }
            n = n.return;
          }
          throw Error(c(160));
        }
        switch (r.tag) {
          case 5:
            var l = r.stateNode;
            r.flags & 32 && (Mn(l, ""), r.flags &= -33);
            var i = oa(e);
            so(e, i, l);
            break;
          case 3:
          case 4:
            var o = r.stateNode.containerInfo, u = oa(e);
            uo(e, u, o);
            break;
          default:
            throw Error(c(161));
        }
      } catch (s) {
        pe(e, e.return, s);
      }
      e.flags &= -3;
    }
    t & 4096 && (e.flags &= -4097);
  }
  function Sf(e, t, n) {
    z = e, ca(e);
  }
  function ca(e, t, n) {
    for (var r = (e.mode & 1) !== 0; z !== null; ) {
      var l = z, i = l.child;
      if (l.tag === 22 && r) {
        var o = l.memoizedState !== null || dl;
        if (!o) {
          var u = l.alternate, s = u !== null && u.memoizedState !== null || Ue;
          u = dl;
          var h = Ue;
          if (dl = o, (Ue = s) && !h) for (z = l; z !== null; ) o = z, s = o.child, o.tag === 22 && o.memoizedState !== null ? pa(l) : s !== null ? (s.return = o, z = s) : pa(l);
          for (; i !== null; ) z = i, ca(i), i = i.sibling;
          z = l, dl = u, Ue = h;
        }
        fa(e);
      } else (l.subtreeFlags & 8772) !== 0 && i !== null ? (i.return = l, z = i) : fa(e);
    }
  }
  function fa(e) {
    for (; z !== null; ) {
      var t = z;
      if ((t.flags & 8772) !== 0) {
        var n = t.alternate;
        try {
          if ((t.flags & 8772) !== 0) switch (t.tag) {
            case 0:
            case 11:
            case 15:
              Ue || pl(5, t);
              break;
            case 1:
              var r = t.stateNode;
              if (t.flags & 4 && !Ue) if (n === null) r.componentDidMount();
              else {
                var l = t.elementType === t.type ? n.memoizedProps : dt(t.type, n.memoizedProps);
                r.componentDidUpdate(l, n.memoizedState, r.__reactInternalSnapshotBeforeUpdate);
              }
              var i = t.updateQueue;
              i !== null && ds(t, i, r);
              break;
            case 3:
              var o = t.updateQueue;
              if (o !== null) {
                if (n = null, t.child !== null) switch (t.child.tag) {
                  case 5:
                    n = t.child.stateNode;
                    break;
                  case 1:
                    n = t.child.stateNode;
                }
                ds(t, o, n);
              }
              break;
            case 5:
              var u = t.stateNode;
              if (n === null && t.flags & 4) {
                n = u;
                var s = t.memoizedProps;
                switch (t.type) {
                  case "button":
                  case "input":
                  case "select":
                  case "textarea":
                    s.autoFocus && n.focus();
                    break;
                  case "img":
                    s.src && (n.src = s.src);
                }
              }
              break;
            case 6:
              break;
            case 4:
              break;
            case 12:
              break;
            case 13:
              if (t.memoizedState === null) {
                var h = t.alternate;
                if (h !== null) {
                  var w = h.memoizedState;
                  if (w !== null) {
                    var k = w.dehydrated;
                    k !== null && Qn(k);
                  }
                }
              }
              break;
            case 19:
            case 17:
            case 21:
            case 22:
            case 23:
            case 25:
              break;
            default:
              throw Error(c(163));
          }
          Ue || t.flags & 512 && oo(t);
        } catch (y) {
          pe(t, t.return, y);
        }
      }
      if (t === e) {
        z = null;
        break;
      }
      if (n = t.sibling, n !== null) {
        n.return = t.return, z = n;
        break;
      }
      z = t.return;
    }
  }
  function da(e) {
    for (; z !== null; ) {
      var t = z;
      if (t === e) {
        z = null;
        break;
      }
      var n = t.sibling;
      if (n !== null) {
        n.return = t.return, z = n;
        break;
      }
      z = t.return;
    }
  }
  function pa(e) {
    for (; z !== null; ) {
      var t = z;
      try {
        switch (t.tag) {
          case 0:
          case 11:
          case 15:
            var n = t.return;
            try {
              pl(4, t);
            } catch (s) {
              pe(t, n, s);
            }
            break;
          case 1:
            var r = t.stateNode;
            if (typeof r.componentDidMount == "function") {
              var l = t.return;
              try {
                r.componentDidMount();
              } catch (s) {
                pe(t, l, s);
              }
            }
            var i = t.return;
            try {
              oo(t);
            } catch (s) {
              pe(t, i, s);
            }
            break;
          case 5:
            var o = t.return;
            try {
              oo(t);
            } catch (s) {
              pe(t, o, s);
            }
        }
      } catch (s) {
        pe(t, t.return, s);
      }
      if (t === e) {
        z = null;
        break;
      }
      var u = t.sibling;
      if (u !== null) {
        u.return = t.return, z = u;
        break;
      }
      z = t.return;
    }
  }
  var xf = Math.ceil, hl = Se.ReactCurrentDispatcher, ao = Se.ReactCurrentOwner, ut = Se.ReactCurrentBatchConfig, G = 0, Pe = null, ge = null, Re = 0, et = 0, Ln = Dt(0), Ce = 0, hr = null, nn = 0, ml = 0, co = 0, mr = null, Ye = null, fo = 0, jn = 1 / 0, zt = null, vl = !1, po = null, Vt = null, yl = !1, Wt = null, gl = 0, vr = 0, ho = null, wl = -1, kl = 0;
  function Be() {
    return (G & 6) !== 0 ? he() : wl !== -1 ? wl : wl = he();
  }
  function Ht(e) {
    return (e.mode & 1) === 0 ? 1 : (G & 2) !== 0 && Re !== 0 ? Re & -Re : lf.transition !== null ? (kl === 0 && (kl = ou()), kl) : (e = le, e !== 0 || (e = window.event, e = e === void 0 ? 16 : mu(e.type)), e);
  }
  function mt(e, t, n, r) {
    if (50 < vr) throw vr = 0, ho = null, Error(c(185));
    An(e, n, r), ((G & 2) === 0 || e !== Pe) && (e === Pe && ((G & 2) === 0 && (ml |= n), Ce === 4 && Qt(e, Re)), Xe(e, r), n === 1 && G === 0 && (t.mode & 1) === 0 && (jn = he() + 500, Xr && Ut()));
  }
  function Xe(e, t) {
    var n = e.callbackNode;
    lc(e, t);
    var r = Tr(e, e === Pe ? Re : 0);
    if (r === 0) n !== null && ru(n), e.callbackNode = null, e.callbackPriority = 0;
    else if (t = r & -r, e.callbackPriority !== t) {
      if (n != null && ru(n), t === 1) e.tag === 0 ? rf(ma.bind(null, e)) : es(ma.bind(null, e)), bc(function() {
        (G & 6) === 0 && Ut();
      }), n = null;
      else {
        switch (uu(r)) {
          case 1:
            n = Kl;
            break;
          case 4:
            n = lu;
            break;
          case 16:
            n = Cr;
            break;
          case 536870912:
            n = iu;
            break;
          default:
            n = Cr;
        }
        n = Ea(n, ha.bind(null, e));
      }
      e.callbackPriority = t, e.callbackNode = n;
    }
  }
  function ha(e, t) {
    if (wl = -1, kl = 0, (G & 6) !== 0) throw Error(c(327));
    var n = e.callbackNode;
    if (Rn() && e.callbackNode !== n) return null;
    var r = Tr(e, e === Pe ? Re : 0);
    if (r === 0) return null;
    if ((r & 30) !== 0 || (r & e.expiredLanes) !== 0 || t) t = Sl(e, r);
    else {
      t = r;
      var l = G;
      G |= 2;
      var i = ya();
      (Pe !== e || Re !== t) && (zt = null, jn = he() + 500, ln(e, t));
      do
        try {
          Cf();
          break;
        } catch (u) {
          va(e, u);
        }
      while (!0);
      ji(), hl.current = i, G = l, ge !== null ? t = 0 : (Pe = null, Re = 0, t = Ce);
    }
    if (t !== 0) {
      if (t === 2 && (l = Yl(e), l !== 0 && (r = l, t = mo(e, l))), t === 1) throw n = hr, ln(e, 0), Qt(e, r), Xe(e, he()), n;
      if (t === 6) Qt(e, r);
      else {
        if (l = e.current.alternate, (r & 30) === 0 && !Ef(l) && (t = Sl(e, r), t === 2 && (i = Yl(e), i !== 0 && (r = i, t = mo(e, i))), t === 1)) throw n = hr, ln(e, 0), Qt(e, r), Xe(e, he()), n;
        switch (e.finishedWork = l, e.finishedLanes = r, t) {
          case 0:
          case 1:
            throw Error(c(345));
          case 2:
            on(e, Ye, zt);
            break;
          case 3:
            if (Qt(e, r), (r & 130023424) === r && (t = fo + 500 - he(), 10 < t)) {
              if (Tr(e, 0) !== 0) break;
              if (l = e.suspendedLanes, (l & r) !== r) {
                Be(), e.pingedLanes |= e.suspendedLanes & l;
                break;
              }
              e.timeoutHandle = ki(on.bind(null, e, Ye, zt), t);
              break;
            }
            on(e, Ye, zt);
            break;
          case 4:
            if (Qt(e, r), (r & 4194240) === r) break;
            for (t = e.eventTimes, l = -1; 0 < r; ) {
              var o = 31 - at(r);
              i = 1 << o, o = t[o], o > l && (l = o), r &= ~i;
            }
            if (r = l, r = he() - r, r = (120 > r ? 120 : 480 > r ? 480 : 1080 > r ? 1080 : 1920 > r ? 1920 : 3e3 > r ? 3e3 : 4320 > r ? 4320 : 1960 * xf(r / 1960)) - r, 10 < r) {
              e.timeoutHandle = ki(on.bind(null, e, Ye, zt), r);
              break;
            }
            on(e, Ye, zt);
            break;
          case 5:
            on(e, Ye, zt);
            break;
          default:
            throw Error(c(329));
        }
      }
    }
    return Xe(e, he()), e.callbackNode === n ? ha.bind(null, e) : null;
  }
  function mo(e, t) {
    var n = mr;
    return e.current.memoizedState.isDehydrated && (ln(e, t).flags |= 256), e = Sl(e, t), e !== 2 && (t = Ye, Ye = n, t !== null && vo(t)), e;
  }
  function vo(e) {
    Ye === null ? Ye = e : Ye.push.apply(Ye, e);
  }
  function Ef(e) {
    for (var t = e; ; ) {
      if (t.flags & 16384) {
        var n = t.updateQueue;
        if (n !== null && (n = n.stores, n !== null)) for (var r = 0; r < n.length; r++) {
          var l = n[r], i = l.getSnapshot;
          l = l.value;
          try {
            if (!ct(i(), l)) return !1;
          } catch {
            return !1;
          }
        }
      }
      if (n = t.child, t.subtreeFlags & 16384 && n !== null) n.return = t, t = n;
      else {
        if (t === e) break;
        for (; t.sibling === null; ) {
          if (t.return === null || t.return === e) return !0;
          t = t.return;
        }
        t.sibling.return = t.return, t = t.sibling;
      }
    }
    return !0;
  }
  function Qt(e, t) {
    for (t &= ~co, t &= ~ml, e.suspendedLanes |= t, e.pingedLanes &= ~t, e = e.expirationTimes; 0 < t; ) {
      var n = 31 - at(t), r = 1 << n;
      e[n] = -1, t &= ~r;
    }
  }
  function ma(e) {
    if ((G & 6) !== 0) throw Error(c(327));
    Rn();
    var t = Tr(e, 0);
    if ((t & 1) === 0) return Xe(e, he()), null;
    var n = Sl(e, t);
    if (e.tag !== 0 && n === 2) {
      var r = Yl(e);
      r !== 0 && (t = r, n = mo(e, r));
    }
    if (n === 1) throw n = hr, ln(e, 0), Qt(e, t), Xe(e, he()), n;
    if (n === 6) throw Error(c(345));
    return e.finishedWork = e.current.alternate, e.finishedLanes = t, on(e, Ye, zt), Xe(e, he()), null;
  }
  function yo(e, t) {
    var n = G;
    G |= 1;
    try {
      return e(t);
    } finally {
      G = n, G === 0 && (jn = he() + 500, Xr && Ut());
    }
  }
  function rn(e) {
    Wt !== null && Wt.tag === 0 && (G & 6) === 0 && Rn();
    var t = G;
    G |= 1;
    var n = ut.transition, r = le;
    try {
      if (ut.transition = null, le = 1, e) return e();
    } finally {
      le = r, ut.transition = n, G = t, (G & 6) === 0 && Ut();
    }
  }
  function go() {
    et = Ln.current, se(Ln);
  }
  function ln(e, t) {
    e.finishedWork = null, e.finishedLanes = 0;
    var n = e.timeoutHandle;
    if (n !== -1 && (e.timeoutHandle = -1, Jc(n)), ge !== null) for (n = ge.return; n !== null; ) {
      var r = n;
      switch (Ni(r), r.tag) {
        case 1:
          r = r.type.childContextTypes, r != null && Kr();
          break;
        case 3:
          Pn(), se(He), se(Oe), $i();
          break;
        case 5:
          Fi(r);
          break;
        case 4:
          Pn();
          break;
        case 13:
          se(fe);
          break;
        case 19:
          se(fe);
          break;
        case 10:
          Ri(r.type._context);
          break;
        case 22:
        case 23:
          go();
      }
      n = n.return;
    }
    if (Pe = e, ge = e = Kt(e.current, null), Re = et = t, Ce = 0, hr = null, co = ml = nn = 0, Ye = mr = null, bt !== null) {
      for (t = 0; t < bt.length; t++) if (n = bt[t], r = n.interleaved, r !== null) {
        n.interleaved = null;
        var l = r.next, i = n.pending;
        if (i !== null) {
          var o = i.next;
          i.next = l, r.next = o;
        }
        n.pending = r;
      }
      bt = null;
    }
    return e;
  }
  function va(e, t) {
    do {
      var n = ge;
      try {
        if (ji(), ll.current = sl, il) {
          for (var r = de.memoizedState; r !== null; ) {
            var l = r.queue;
            l !== null && (l.pending = null), r = r.next;
          }
          il = !1;
        }
        if (tn = 0, Ne = _e = de = null, sr = !1, ar = 0, ao.current = null, n === null || n.return === null) {
          Ce = 1, hr = t, ge = null;
          break;
        }
        e: {
          var i = e, o = n.return, u = n, s = t;
          if (t = Re, u.flags |= 32768, s !== null && typeof s == "object" && typeof s.then == "function") {
            var h = s, w = u, k = w.tag;
            if ((w.mode & 1) === 0 && (k === 0 || k === 11 || k === 15)) {
              var y = w.alternate;
              y ? (w.updateQueue = y.updateQueue, w.memoizedState = y.memoizedState, w.lanes = y.lanes) : (w.updateQueue = null, w.memoizedState = null);
            }
            var C = Bs(o);
            if (C !== null) {
              C.flags &= -257, Vs(C, o, u, i, t), C.mode & 1 && As(i, h, t), t = C, s = h;
              var L = t.updateQueue;
              if (L === null) {
                var R = /* @__PURE__ */ new Set();
                R.add(s), t.updateQueue = R;
              } else L.add(s);
              break e;
            } else {
              if ((t & 1) === 0) {
                As(i, h, t), wo();
                break e;
              }
              s = Error(c(426));
            }
          } else if (ce && u.mode & 1) {
            var me = Bs(o);
            if (me !== null) {
              (me.flags & 65536) === 0 && (me.flags |= 256), Vs(me, o, u, i, t), Ti(zn(s, u));
              break e;
            }
          }
          i = s = zn(s, u), Ce !== 4 && (Ce = 2), mr === null ? mr = [i] : mr.push(i), i = o;
          do {
            switch (i.tag) {
              case 3:
                i.flags |= 65536, t &= -t, i.lanes |= t;
                var d = Us(i, s, t);
                fs(i, d);
                break e;
              case 1:
                u = s;
                var a = i.type, p = i.stateNode;
                if ((i.flags & 128) === 0 && (typeof a.getDerivedStateFromError == "function" || p !== null && typeof p.componentDidCatch == "function" && (Vt === null || !Vt.has(p)))) {
                  i.flags |= 65536, t &= -t, i.lanes |= t;
                  var x = $s(i, u, t);
                  fs(i, x);
                  break e;
                }
            }
            i = i.return;
          } while (i !== null);
        }
        wa(n);
      } catch (M) {
        t = M, ge === n && n !== null && (ge = n = n.return);
        continue;
      }
      break;
    } while (!0);
  }
  function ya() {
    var e = hl.current;
    return hl.current = sl, e === null ? sl : e;
  }
  function wo() {
    (Ce === 0 || Ce === 3 || Ce === 2) && (Ce = 4), Pe === null || (nn & 268435455) === 0 && (ml & 268435455) === 0 || Qt(Pe, Re);
  }
  function Sl(e, t) {
    var n = G;
    G |= 2;
    var r = ya();
    (Pe !== e || Re !== t) && (zt = null, ln(e, t));
    do
      try {
        _f();
        break;
      } catch (l) {
        va(e, l);
      }
    while (!0);
    if (ji(), G = n, hl.current = r, ge !== null) throw Error(c(261));
    return Pe = null, Re = 0, Ce;
  }
  function _f() {
    for (; ge !== null; ) ga(ge);
  }
  function Cf() {
    for (; ge !== null && !Ga(); ) ga(ge);
  }
  function ga(e) {
    var t = xa(e.alternate, e, et);
    e.memoizedProps = e.pendingProps, t === null ? wa(e) : ge = t, ao.current = null;
  }
  function wa(e) {
    var t = e;
    do {
      var n = t.alternate;
      if (e = t.return, (t.flags & 32768) === 0) {
        if (n = yf(n, t, et), n !== null) {
          ge = n;
          return;
        }
      } else {
        if (n = gf(n, t), n !== null) {
          n.flags &= 32767, ge = n;
          return;
        }
        if (e !== null) e.flags |= 32768, e.subtreeFlags = 0, e.deletions = null;
        else {
          Ce = 6, ge = null;
          return;
        }
      }
      if (t = t.sibling, t !== null) {
        ge = t;
        return;
      }
      ge = t = e;
    } while (t !== null);
    Ce === 0 && (Ce = 5);
  }
  function on(e, t, n) {
    var r = le, l = ut.transition;
    try {
      ut.transition = null, le = 1, Nf(e, t, n, r);
    } finally {
      ut.transition = l, le = r;
    }
    return null;
  }
  function Nf(e, t, n, r) {
    do
      Rn();
    while (Wt !== null);
    if ((G & 6) !== 0) throw Error(c(327));
    n = e.finishedWork;
    var l = e.finishedLanes;
    if (n === null) return null;
    if (e.finishedWork = null, e.finishedLanes = 0, n === e.current) throw Error(c(177));
    e.callbackNode = null, e.callbackPriority = 0;
    var i = n.lanes | n.childLanes;
    if (ic(e, i), e === Pe && (ge = Pe = null, Re = 0), (n.subtreeFlags & 2064) === 0 && (n.flags & 2064) === 0 || yl || (yl = !0, Ea(Cr, function() {
      return Rn(), null;
    })), i = (n.flags & 15990) !== 0, (n.subtreeFlags & 15990) !== 0 || i) {
      i = ut.transition, ut.transition = null;
      var o = le;
      le = 1;
      var u = G;
      G |= 4, ao.current = null, kf(e, n), aa(n, e), Qc(gi), Rr = !!yi, gi = yi = null, e.current = n, Sf(n), Za(), G = u, le = o, ut.transition = i;
    } else e.current = n;
    if (yl && (yl = !1, Wt = e, gl = l), i = e.pendingLanes, i === 0 && (Vt = null), ba(n.stateNode), Xe(e, he()), t !== null) for (r = e.onRecoverableError, n = 0; n < t.length; n++) l = t[n], r(l.value, { componentStack: l.stack, digest: l.digest });
    if (vl) throw vl = !1, e = po, po = null, e;
    return (gl & 1) !== 0 && e.tag !== 0 && Rn(), i = e.pendingLanes, (i & 1) !== 0 ? e === ho ? vr++ : (vr = 0, ho = e) : vr = 0, Ut(), null;
  }
  function Rn() {
    if (Wt !== null) {
      var e = uu(gl), t = ut.transition, n = le;
      try {
        if (ut.transition = null, le = 16 > e ? 16 : e, Wt === null) var r = !1;
        else {
          if (e = Wt, Wt = null, gl = 0, (G & 6) !== 0) throw Error(c(331));
          var l = G;
          for (G |= 4, z = e.current; z !== null; ) {
            var i = z, o = i.child;
            if ((z.flags & 16) !== 0) {
              var u = i.deletions;
              if (u !== null) {
                for (var s = 0; s < u.length; s++) {
                  var h = u[s];
                  for (z = h; z !== null; ) {
                    var w = z;
                    switch (w.tag) {
                      case 0:
                      case 11:
                      case 15:
                        pr(8, w, i);
                    }
                    var k = w.child;
                    if (k !== null) k.return = w, z = k;
                    else for (; z !== null; ) {
                      w = z;
                      var y = w.sibling, C = w.return;
                      if (la(w), w === h) {
                        z = null;
                        break;
                      }
                      if (y !== null) {
                        y.return = C, z = y;
                        break;
                      }
                      z = C;
                    }
                  }
                }
                var L = i.alternate;
                if (L !== null) {
                  var R = L.child;
                  if (R !== null) {
                    L.child = null;
                    do {
                      var me = R.sibling;
                      R.sibling = null, R = me;
                    } while (R !== null);
                  }
                }
                z = i;
              }
            }
            if ((i.subtreeFlags & 2064) !== 0 && o !== null) o.return = i, z = o;
            else e: for (; z !== null; ) {
              if (i = z, (i.flags & 2048) !== 0) switch (i.tag) {
                case 0:
                case 11:
                case 15:
                  pr(9, i, i.return);
              }
              var d = i.sibling;
              if (d !== null) {
                d.return = i.return, z = d;
                break e;
              }
              z = i.return;
            }
          }
          var a = e.current;
          for (z = a; z !== null; ) {
            o = z;
            var p = o.child;
            if ((o.subtreeFlags & 2064) !== 0 && p !== null) p.return = o, z = p;
            else e: for (o = a; z !== null; ) {
              if (u = z, (u.flags & 2048) !== 0) try {
                switch (u.tag) {
                  case 0:
                  case 11:
                  case 15:
                    pl(9, u);
                }
              } catch (M) {
                pe(u, u.return, M);
              }
              if (u === o) {
                z = null;
                break e;
              }
              var x = u.sibling;
              if (x !== null) {
                x.return = u.return, z = x;
                break e;
              }
              z = u.return;
            }
          }
          if (G = l, Ut(), vt && typeof vt.onPostCommitFiberRoot == "function") try {
            vt.onPostCommitFiberRoot(Nr, e);
          } catch {
          }
          r = !0;
        }
        return r;
      } finally {
        le = n, ut.transition = t;
      }
    }
    return !1;
  }
  function ka(e, t, n) {
    t = zn(n, t), t = Us(e, t, 1), e = At(e, t, 1), t = Be(), e !== null && (An(e, 1, t), Xe(e, t));
  }
  function pe(e, t, n) {
    if (e.tag === 3) ka(e, e, n);
    else for (; t !== null; ) {
      if (t.tag === 3) {
        ka(t, e, n);
        break;
      } else if (t.tag === 1) {
        var r = t.stateNode;
        if (typeof t.type.getDerivedStateFromError == "function" || typeof r.componentDidCatch == "function" && (Vt === null || !Vt.has(r))) {
          e = zn(n, e), e = $s(t, e, 1), t = At(t, e, 1), e = Be(), t !== null && (An(t, 1, e), Xe(t, e));
          break;
        }
      }
      t = t.return;
    }
  }
  function Pf(e, t, n) {
    var r = e.pingCache;
    r !== null && r.delete(t), t = Be(), e.pingedLanes |= e.suspendedLanes & n, Pe === e && (Re & n) === n && (Ce === 4 || Ce === 3 && (Re & 130023424) === Re && 500 > he() - fo ? ln(e, 0) : co |= n), Xe(e, t);
  }
  function Sa(e, t) {
    t === 0 && ((e.mode & 1) === 0 ? t = 1 : (t = zr, zr <<= 1, (zr & 130023424) === 0 && (zr = 4194304)));
    var n = Be();
    e = Ct(e, t), e !== null && (An(e, t, n), Xe(e, n));
  }
  function zf(e) {
    var t = e.memoizedState, n = 0;
    t !== null && (n = t.retryLane), Sa(e, n);
  }
  function Tf(e, t) {
    var n = 0;
    switch (e.tag) {
      case 13:
        var r = e.stateNode, l = e.memoizedState;
        l !== null && (n = l.retryLane);
        break;
      case 19:
        r = e.stateNode;
        break;
      default:
        throw Error(c(314));
    }
    r !== null && r.delete(t), Sa(e, n);
  }
  var xa;
  xa = function(e, t, n) {
    if (e !== null) if (e.memoizedProps !== t.pendingProps || He.current) Ke = !0;
    else {
      if ((e.lanes & n) === 0 && (t.flags & 128) === 0) return Ke = !1, vf(e, t, n);
      Ke = (e.flags & 131072) !== 0;
    }
    else Ke = !1, ce && (t.flags & 1048576) !== 0 && ts(t, Zr, t.index);
    switch (t.lanes = 0, t.tag) {
      case 2:
        var r = t.type;
        fl(e, t), e = t.pendingProps;
        var l = kn(t, Oe.current);
        Nn(t, n), l = Vi(null, t, r, e, l, n);
        var i = Wi();
        return t.flags |= 1, typeof l == "object" && l !== null && typeof l.render == "function" && l.$$typeof === void 0 ? (t.tag = 1, t.memoizedState = null, t.updateQueue = null, Qe(r) ? (i = !0, Yr(t)) : i = !1, t.memoizedState = l.state !== null && l.state !== void 0 ? l.state : null, Oi(t), l.updater = al, t.stateNode = l, l._reactInternals = t, Gi(t, r, e, n), t = bi(null, t, r, !0, i, n)) : (t.tag = 0, ce && i && Ci(t), Ae(null, t, l, n), t = t.child), t;
      case 16:
        r = t.elementType;
        e: {
          switch (fl(e, t), e = t.pendingProps, l = r._init, r = l(r._payload), t.type = r, l = t.tag = jf(r), e = dt(r, e), l) {
            case 0:
              t = Ji(null, t, r, e, n);
              break e;
            case 1:
              t = Xs(null, t, r, e, n);
              break e;
            case 11:
              t = Ws(null, t, r, e, n);
              break e;
            case 14:
              t = Hs(null, t, r, dt(r.type, e), n);
              break e;
          }
          throw Error(c(
            306,
            r,
            ""
          ));
        }
        return t;
      case 0:
        return r = t.type, l = t.pendingProps, l = t.elementType === r ? l : dt(r, l), Ji(e, t, r, l, n);
      case 1:
        return r = t.type, l = t.pendingProps, l = t.elementType === r ? l : dt(r, l), Xs(e, t, r, l, n);
      case 3:
        e: {
          if (Gs(t), e === null) throw Error(c(387));
          r = t.pendingProps, i = t.memoizedState, l = i.element, cs(e, t), nl(t, r, null, n);
          var o = t.memoizedState;
          if (r = o.element, i.isDehydrated) if (i = { element: r, isDehydrated: !1, cache: o.cache, pendingSuspenseBoundaries: o.pendingSuspenseBoundaries, transitions: o.transitions }, t.updateQueue.baseState = i, t.memoizedState = i, t.flags & 256) {
            l = zn(Error(c(423)), t), t = Zs(e, t, r, n, l);
            break e;
          } else if (r !== l) {
            l = zn(Error(c(424)), t), t = Zs(e, t, r, n, l);
            break e;
          } else for (be = Ot(t.stateNode.containerInfo.firstChild), Je = t, ce = !0, ft = null, n = ss(t, null, r, n), t.child = n; n; ) n.flags = n.flags & -3 | 4096, n = n.sibling;
          else {
            if (En(), r === l) {
              t = Pt(e, t, n);
              break e;
            }
            Ae(e, t, r, n);
          }
          t = t.child;
        }
        return t;
      case 5:
        return ps(t), e === null && zi(t), r = t.type, l = t.pendingProps, i = e !== null ? e.memoizedProps : null, o = l.children, wi(r, l) ? o = null : i !== null && wi(r, i) && (t.flags |= 32), Ys(e, t), Ae(e, t, o, n), t.child;
      case 6:
        return e === null && zi(t), null;
      case 13:
        return qs(e, t, n);
      case 4:
        return Di(t, t.stateNode.containerInfo), r = t.pendingProps, e === null ? t.child = _n(t, null, r, n) : Ae(e, t, r, n), t.child;
      case 11:
        return r = t.type, l = t.pendingProps, l = t.elementType === r ? l : dt(r, l), Ws(e, t, r, l, n);
      case 7:
        return Ae(e, t, t.pendingProps, n), t.child;
      case 8:
        return Ae(e, t, t.pendingProps.children, n), t.child;
      case 12:
        return Ae(e, t, t.pendingProps.children, n), t.child;
      case 10:
        e: {
          if (r = t.type._context, l = t.pendingProps, i = t.memoizedProps, o = l.value, oe(br, r._currentValue), r._currentValue = o, i !== null) if (ct(i.value, o)) {
            if (i.children === l.children && !He.current) {
              t = Pt(e, t, n);
              break e;
            }
          } else for (i = t.child, i !== null && (i.return = t); i !== null; ) {
            var u = i.dependencies;
            if (u !== null) {
              o = i.child;
              for (var s = u.firstContext; s !== null; ) {
                if (s.context === r) {
                  if (i.tag === 1) {
                    s = Nt(-1, n & -n), s.tag = 2;
                    var h = i.updateQueue;
                    if (h !== null) {
                      h = h.shared;
                      var w = h.pending;
                      w === null ? s.next = s : (s.next = w.next, w.next = s), h.pending = s;
                    }
                  }
                  i.lanes |= n, s = i.alternate, s !== null && (s.lanes |= n), Ii(
                    i.return,
                    n,
                    t
                  ), u.lanes |= n;
                  break;
                }
                s = s.next;
              }
            } else if (i.tag === 10) o = i.type === t.type ? null : i.child;
            else if (i.tag === 18) {
              if (o = i.return, o === null) throw Error(c(341));
              o.lanes |= n, u = o.alternate, u !== null && (u.lanes |= n), Ii(o, n, t), o = i.sibling;
            } else o = i.child;
            if (o !== null) o.return = i;
            else for (o = i; o !== null; ) {
              if (o === t) {
                o = null;
                break;
              }
              if (i = o.sibling, i !== null) {
                i.return = o.return, o = i;
                break;
              }
              o = o.return;
            }
            i = o;
          }
          Ae(e, t, l.children, n), t = t.child;
        }
        return t;
      case 9:
        return l = t.type, r = t.pendingProps.children, Nn(t, n), l = it(l), r = r(l), t.flags |= 1, Ae(e, t, r, n), t.child;
      case 14:
        return r = t.type, l = dt(r, t.pendingProps), l = dt(r.type, l), Hs(e, t, r, l, n);
      case 15:
        return Qs(e, t, t.type, t.pendingProps, n);
      case 17:
        return r = t.type, l = t.pendingProps, l = t.elementType === r ? l : dt(r, l), fl(e, t), t.tag = 1, Qe(r) ? (e = !0, Yr(t)) : e = !1, Nn(t, n), Ds(t, r, l), Gi(t, r, l, n), bi(null, t, r, !0, e, n);
      case 19:
        return bs(e, t, n);
      case 22:
        return Ks(e, t, n);
    }
    throw Error(c(156, t.tag));
  };
  function Ea(e, t) {
    return nu(e, t);
  }
  function Lf(e, t, n, r) {
    this.tag = e, this.key = n, this.sibling = this.child = this.return = this.stateNode = this.type = this.elementType = null, this.index = 0, this.ref = null, this.pendingProps = t, this.dependencies = this.memoizedState = this.updateQueue = this.memoizedProps = null, this.mode = r, this.subtreeFlags = this.flags = 0, this.deletions = null, this.childLanes = this.lanes = 0, this.alternate = null;
  }
  function st(e, t, n, r) {
    return new Lf(e, t, n, r);
  }
  function ko(e) {
    return e = e.prototype, !(!e || !e.isReactComponent);
  }
  function jf(e) {
    if (typeof e == "function") return ko(e) ? 1 : 0;
    if (e != null) {
      if (e = e.$$typeof, e === ye) return 11;
      if (e === Me) return 14;
    }
    return 2;
  }
  function Kt(e, t) {
    var n = e.alternate;
    return n === null ? (n = st(e.tag, t, e.key, e.mode), n.elementType = e.elementType, n.type = e.type, n.stateNode = e.stateNode, n.alternate = e, e.alternate = n) : (n.pendingProps = t, n.type = e.type, n.flags = 0, n.subtreeFlags = 0, n.deletions = null), n.flags = e.flags & 14680064, n.childLanes = e.childLanes, n.lanes = e.lanes, n.child = e.child, n.memoizedProps = e.memoizedProps, n.memoizedState = e.memoizedState, n.updateQueue = e.updateQueue, t = e.dependencies, n.dependencies = t === null ? null : { lanes: t.lanes, firstContext: t.firstContext }, n.sibling = e.sibling, n.index = e.index, n.ref = e.ref, n;
  }
  function xl(e, t, n, r, l, i) {
    var o = 2;
    if (r = e, typeof e == "function") ko(e) && (o = 1);
    else if (typeof e == "string") o = 5;
    else e: switch (e) {
      case Ie:
        return un(n.children, l, i, t);
      case $e:
        o = 8, l |= 8;
        break;
      case nt:
        return e = st(12, n, t, l | 2), e.elementType = nt, e.lanes = i, e;
      case xe:
        return e = st(13, n, t, l), e.elementType = xe, e.lanes = i, e;
      case Ee:
        return e = st(19, n, t, l), e.elementType = Ee, e.lanes = i, e;
      case ne:
        return El(n, l, i, t);
      default:
        if (typeof e == "object" && e !== null) switch (e.$$typeof) {
          case I:
            o = 10;
            break e;
          case X:
            o = 9;
            break e;
          case ye:
            o = 11;
            break e;
          case Me:
            o = 14;
            break e;
          case Le:
            o = 16, r = null;
            break e;
        }
        throw Error(c(130, e == null ? e : typeof e, ""));
    }
    return t = st(o, n, t, l), t.elementType = e, t.type = r, t.lanes = i, t;
  }
  function un(e, t, n, r) {
    return e = st(7, e, r, t), e.lanes = n, e;
  }
  function El(e, t, n, r) {
    return e = st(22, e, r, t), e.elementType = ne, e.lanes = n, e.stateNode = { isHidden: !1 }, e;
  }
  function So(e, t, n) {
    return e = st(6, e, null, t), e.lanes = n, e;
  }
  function xo(e, t, n) {
    return t = st(4, e.children !== null ? e.children : [], e.key, t), t.lanes = n, t.stateNode = { containerInfo: e.containerInfo, pendingChildren: null, implementation: e.implementation }, t;
  }
  function Rf(e, t, n, r, l) {
    this.tag = t, this.containerInfo = e, this.finishedWork = this.pingCache = this.current = this.pendingChildren = null, this.timeoutHandle = -1, this.callbackNode = this.pendingContext = this.context = null, this.callbackPriority = 0, this.eventTimes = Xl(0), this.expirationTimes = Xl(-1), this.entangledLanes = this.finishedLanes = this.mutableReadLanes = this.expiredLanes = this.pingedLanes = this.suspendedLanes = this.pendingLanes = 0, this.entanglements = Xl(0), this.identifierPrefix = r, this.onRecoverableError = l, this.mutableSourceEagerHydrationData = null;
  }
  function Eo(e, t, n, r, l, i, o, u, s) {
    return e = new Rf(e, t, n, u, s), t === 1 ? (t = 1, i === !0 && (t |= 8)) : t = 0, i = st(3, null, null, t), e.current = i, i.stateNode = e, i.memoizedState = { element: r, isDehydrated: n, cache: null, transitions: null, pendingSuspenseBoundaries: null }, Oi(i), e;
  }
  function If(e, t, n) {
    var r = 3 < arguments.length && arguments[3] !== void 0 ? arguments[3] : null;
    return { $$typeof: Te, key: r == null ? null : "" + r, children: e, containerInfo: t, implementation: n };
  }
  function _a(e) {
    if (!e) return Ft;
    e = e._reactInternals;
    e: {
      if (Xt(e) !== e || e.tag !== 1) throw Error(c(170));
      var t = e;
      do {
        switch (t.tag) {
          case 3:
            t = t.stateNode.context;
            break e;
          case 1:
            if (Qe(t.type)) {
              t = t.stateNode.__reactInternalMemoizedMergedChildContext;
              break e;
            }
        }
        t = t.return;
      } while (t !== null);
      throw Error(c(171));
    }
    if (e.tag === 1) {
      var n = e.type;
      if (Qe(n)) return Ju(e, n, t);
    }
    return t;
  }
  function Ca(e, t, n, r, l, i, o, u, s) {
    return e = Eo(n, r, !0, e, l, i, o, u, s), e.context = _a(null), n = e.current, r = Be(), l = Ht(n), i = Nt(r, l), i.callback = t ?? null, At(n, i, l), e.current.lanes = l, An(e, l, r), Xe(e, r), e;
  }
  function _l(e, t, n, r) {
    var l = t.current, i = Be(), o = Ht(l);
    return n = _a(n), t.context === null ? t.context = n : t.pendingContext = n, t = Nt(i, o), t.payload = { element: e }, r = r === void 0 ? null : r, r !== null && (t.callback = r), e = At(l, t, o), e !== null && (mt(e, l, o, i), tl(e, l, o)), o;
  }
  function Cl(e) {
    return e = e.current, e.child ? (e.child.tag === 5, e.child.stateNode) : null;
  }
  function Na(e, t) {
    if (e = e.memoizedState, e !== null && e.dehydrated !== null) {
      var n = e.retryLane;
      e.retryLane = n !== 0 && n < t ? n : t;
    }
  }
  function _o(e, t) {
    Na(e, t), (e = e.alternate) && Na(e, t);
  }
  function Mf() {
    return null;
  }
  var Pa = typeof reportError == "function" ? reportError : function(e) {
    console.error(e);
  };
  function Co(e) {
    this._internalRoot = e;
  }
  Nl.prototype.render = Co.prototype.render = function(e) {
    var t = this._internalRoot;
    if (t === null) throw Error(c(409));
    _l(e, t, null, null);
  }, Nl.prototype.unmount = Co.prototype.unmount = function() {
    var e = this._internalRoot;
    if (e !== null) {
      this._internalRoot = null;
      var t = e.containerInfo;
      rn(function() {
        _l(null, e, null, null);
      }), t[St] = null;
    }
  };
  function Nl(e) {
    this._internalRoot = e;
  }
  Nl.prototype.unstable_scheduleHydration = function(e) {
    if (e) {
      var t = cu();
      e = { blockedOn: null, target: e, priority: t };
      for (var n = 0; n < Rt.length && t !== 0 && t < Rt[n].priority; n++) ;
      Rt.splice(n, 0, e), n === 0 && pu(e);
    }
  };
  function No(e) {
    return !(!e || e.nodeType !== 1 && e.nodeType !== 9 && e.nodeType !== 11);
  }
  function Pl(e) {
    return !(!e || e.nodeType !== 1 && e.nodeType !== 9 && e.nodeType !== 11 && (e.nodeType !== 8 || e.nodeValue !== " react-mount-point-unstable "));
  }
  function za() {
  }
  function Of(e, t, n, r, l) {
    if (l) {
      if (typeof r == "function") {
        var i = r;
        r = function() {
          var h = Cl(o);
          i.call(h);
        };
      }
      var o = Ca(t, r, e, 0, null, !1, !1, "", za);
      return e._reactRootContainer = o, e[St] = o.current, er(e.nodeType === 8 ? e.parentNode : e), rn(), o;
    }
    for (; l = e.lastChild; ) e.removeChild(l);
    if (typeof r == "function") {
      var u = r;
      r = function() {
        var h = Cl(s);
        u.call(h);
      };
    }
    var s = Eo(e, 0, !1, null, null, !1, !1, "", za);
    return e._reactRootContainer = s, e[St] = s.current, er(e.nodeType === 8 ? e.parentNode : e), rn(function() {
      _l(t, s, n, r);
    }), s;
  }
  function zl(e, t, n, r, l) {
    var i = n._reactRootContainer;
    if (i) {
      var o = i;
      if (typeof l == "function") {
        var u = l;
        l = function() {
          var s = Cl(o);
          u.call(s);
        };
      }
      _l(t, o, e, l);
    } else o = Of(n, t, e, l, r);
    return Cl(o);
  }
  su = function(e) {
    switch (e.tag) {
      case 3:
        var t = e.stateNode;
        if (t.current.memoizedState.isDehydrated) {
          var n = $n(t.pendingLanes);
          n !== 0 && (Gl(t, n | 1), Xe(t, he()), (G & 6) === 0 && (jn = he() + 500, Ut()));
        }
        break;
      case 13:
        rn(function() {
          var r = Ct(e, 1);
          if (r !== null) {
            var l = Be();
            mt(r, e, 1, l);
          }
        }), _o(e, 1);
    }
  }, Zl = function(e) {
    if (e.tag === 13) {
      var t = Ct(e, 134217728);
      if (t !== null) {
        var n = Be();
        mt(t, e, 134217728, n);
      }
      _o(e, 134217728);
    }
  }, au = function(e) {
    if (e.tag === 13) {
      var t = Ht(e), n = Ct(e, t);
      if (n !== null) {
        var r = Be();
        mt(n, e, t, r);
      }
      _o(e, t);
    }
  }, cu = function() {
    return le;
  }, fu = function(e, t) {
    var n = le;
    try {
      return le = e, t();
    } finally {
      le = n;
    }
  }, Vl = function(e, t, n) {
    switch (t) {
      case "input":
        if (Ml(e, n), t = n.name, n.type === "radio" && t != null) {
          for (n = e; n.parentNode; ) n = n.parentNode;
          for (n = n.querySelectorAll("input[name=" + JSON.stringify("" + t) + '][type="radio"]'), t = 0; t < n.length; t++) {
            var r = n[t];
            if (r !== e && r.form === e.form) {
              var l = Qr(r);
              if (!l) throw Error(c(90));
              Oo(r), Ml(r, l);
            }
          }
        }
        break;
      case "textarea":
        Ao(e, n);
        break;
      case "select":
        t = n.value, t != null && sn(e, !!n.multiple, t, !1);
    }
  }, Go = yo, Zo = rn;
  var Df = { usingClientEntryPoint: !1, Events: [rr, gn, Qr, Yo, Xo, yo] }, yr = { findFiberByHostInstance: Gt, bundleType: 0, version: "18.3.1", rendererPackageName: "react-dom" }, Ff = { bundleType: yr.bundleType, version: yr.version, rendererPackageName: yr.rendererPackageName, rendererConfig: yr.rendererConfig, overrideHookState: null, overrideHookStateDeletePath: null, overrideHookStateRenamePath: null, overrideProps: null, overridePropsDeletePath: null, overridePropsRenamePath: null, setErrorHandler: null, setSuspenseHandler: null, scheduleUpdate: null, currentDispatcherRef: Se.ReactCurrentDispatcher, findHostInstanceByFiber: function(e) {
    return e = eu(e), e === null ? null : e.stateNode;
  }, findFiberByHostInstance: yr.findFiberByHostInstance || Mf, findHostInstancesForRefresh: null, scheduleRefresh: null, scheduleRoot: null, setRefreshHandler: null, getCurrentFiber: null, reconcilerVersion: "18.3.1-next-f1338f8080-20240426" };
  if (typeof __REACT_DEVTOOLS_GLOBAL_HOOK__ < "u") {
    var Tl = __REACT_DEVTOOLS_GLOBAL_HOOK__;
    if (!Tl.isDisabled && Tl.supportsFiber) try {
      Nr = Tl.inject(Ff), vt = Tl;
    } catch {
    }
  }
  return Ge.__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED = Df, Ge.createPortal = function(e, t) {
    var n = 2 < arguments.length && arguments[2] !== void 0 ? arguments[2] : null;
    if (!No(t)) throw Error(c(200));
    return If(e, t, null, n);
  }, Ge.createRoot = function(e, t) {
    if (!No(e)) throw Error(c(299));
    var n = !1, r = "", l = Pa;
    return t != null && (t.unstable_strictMode === !0 && (n = !0), t.identifierPrefix !== void 0 && (r = t.identifierPrefix), t.onRecoverableError !== void 0 && (l = t.onRecoverableError)), t = Eo(e, 1, !1, null, null, n, !1, r, l), e[St] = t.current, er(e.nodeType === 8 ? e.parentNode : e), new Co(t);
  }, Ge.findDOMNode = function(e) {
    if (e == null) return null;
    if (e.nodeType === 1) return e;
    var t = e._reactInternals;
    if (t === void 0)
      throw typeof e.render == "function" ? Error(c(188)) : (e = Object.keys(e).join(","), Error(c(268, e)));
    return e = eu(t), e = e === null ? null : e.stateNode, e;
  }, Ge.flushSync = function(e) {
    return rn(e);
  }, Ge.hydrate = function(e, t, n) {
    if (!Pl(t)) throw Error(c(200));
    return zl(null, e, t, !0, n);
  }, Ge.hydrateRoot = function(e, t, n) {
    if (!No(e)) throw Error(c(405));
    var r = n != null && n.hydratedSources || null, l = !1, i = "", o = Pa;
    if (n != null && (n.unstable_strictMode === !0 && (l = !0), n.identifierPrefix !== void 0 && (i = n.identifierPrefix), n.onRecoverableError !== void 0 && (o = n.onRecoverableError)), t = Ca(t, null, e, 1, n ?? null, l, !1, i, o), e[St] = t.current, er(e), r) for (e = 0; e < r.length; e++) n = r[e], l = n._getVersion, l = l(n._source), t.mutableSourceEagerHydrationData == null ? t.mutableSourceEagerHydrationData = [n, l] : t.mutableSourceEagerHydrationData.push(
      n,
      l
    );
    return new Nl(t);
  }, Ge.render = function(e, t, n) {
    if (!Pl(t)) throw Error(c(200));
    return zl(null, e, t, !1, n);
  }, Ge.unmountComponentAtNode = function(e) {
    if (!Pl(e)) throw Error(c(40));
    return e._reactRootContainer ? (rn(function() {
      zl(null, null, e, !1, function() {
        e._reactRootContainer = null, e[St] = null;
      });
    }), !0) : !1;
  }, Ge.unstable_batchedUpdates = yo, Ge.unstable_renderSubtreeIntoContainer = function(e, t, n, r) {
    if (!Pl(n)) throw Error(c(200));
    if (e == null || e._reactInternals === void 0) throw Error(c(38));
    return zl(e, t, n, !1, r);
  }, Ge.version = "18.3.1-next-f1338f8080-20240426", Ge;
}
var Da;
function Qf() {
  if (Da) return To.exports;
  Da = 1;
  function m() {
    if (!(typeof __REACT_DEVTOOLS_GLOBAL_HOOK__ > "u" || typeof __REACT_DEVTOOLS_GLOBAL_HOOK__.checkDCE != "function"))
      try {
        __REACT_DEVTOOLS_GLOBAL_HOOK__.checkDCE(m);
      } catch (v) {
        console.error(v);
      }
  }
  return m(), To.exports = Hf(), To.exports;
}
var Fa;
function Kf() {
  if (Fa) return Ll;
  Fa = 1;
  var m = Qf();
  return Ll.createRoot = m.createRoot, Ll.hydrateRoot = m.hydrateRoot, Ll;
}
var Yf = Kf(), ve = Io();
class jl extends Error {
  status;
  type;
  code;
  retryAfter;
  body;
  constructor(v, c, S) {
    super(c?.message ?? `The gateway answered ${v}`), this.name = "AIWorkersError", this.status = v, this.body = c, this.type = c?.type, this.code = c?.code, this.retryAfter = S;
  }
  /** A 429 because a budget or the token's spend cap is used up. */
  get isBudgetExceeded() {
    return this.status === 429 && this.code === "budget_exceeded";
  }
  /** A 429 from a rate limit (retry after `retryAfter` seconds). */
  get isRateLimited() {
    return this.status === 429 && !this.isBudgetExceeded;
  }
  /** The app's PHI or content-safety policy refused the request. */
  get isPolicyBlocked() {
    return this.status === 422 || this.type === "policy_violation";
  }
  /** The token expired or was revoked: get a new one from the app's backend. */
  get isAuthError() {
    return this.status === 401;
  }
}
async function Xf(m) {
  let v;
  try {
    v = (await m.json()).error;
  } catch {
    v = void 0;
  }
  const c = m.headers.get("retry-after");
  return new jl(m.status, v, c ? Number(c) : void 0);
}
async function* Gf(m) {
  const v = m.getReader(), c = new TextDecoder();
  let S = "", j = [];
  try {
    for (; ; ) {
      const { value: P, done: $ } = await v.read();
      S += $ ? c.decode() : c.decode(P, { stream: !0 });
      let N;
      const D = /\r\n|\r|\n/g;
      let O = 0;
      for (; (N = D.exec(S)) !== null && !(N[0] === "\r" && N.index === S.length - 1 && !$); ) {
        const V = S.slice(O, N.index);
        O = N.index + N[0].length, V === "" ? (j.length && (yield j.join(`
`)), j = []) : V.startsWith("data:") && j.push(V.slice(V.startsWith("data: ") ? 6 : 5));
      }
      if (S = S.slice(O), $) {
        S.startsWith("data:") && j.push(S.slice(S.startsWith("data: ") ? 6 : 5)), j.length && (yield j.join(`
`));
        return;
      }
    }
  } finally {
    v.releaseLock();
  }
}
function Zf(m) {
  const v = {}, c = ($) => m.get(`x-ai-workers-${$}`) ?? void 0, S = ($) => {
    const N = c($);
    return N === void 0 ? void 0 : Number(N);
  }, j = ($) => c($)?.split(",").filter(Boolean), P = ($, N) => {
    N !== void 0 && (v[$] = N);
  };
  return P("provider", c("provider")), P("provider_model", c("model")), P("cost_usd", S("cost-usd")), P("cache", c("cache")), P("cache_similarity", S("cache-similarity")), P("tier", c("tier")), P("attempts", S("attempts")), P("safety", c("safety")), P("safety_categories", j("safety-categories")), P("phi_types", j("phi-types")), P("phi_redactions", S("phi-redactions")), P("request_id", m.get("x-request-id") ?? void 0), v;
}
class qf {
  info;
  requestId;
  response;
  controller;
  used = !1;
  constructor(v, c) {
    this.response = v, this.controller = c, this.info = Zf(v.headers), this.requestId = this.info.request_id;
  }
  /** Stop the answer (closes the connection; the gateway stops the upstream call). */
  abort() {
    this.controller.abort();
  }
  async *[Symbol.asyncIterator]() {
    if (this.used) throw new Error("a ChatStream can be iterated once");
    if (this.used = !0, !!this.response.body)
      for await (const v of Gf(this.response.body)) {
        if (v === "[DONE]") return;
        const c = JSON.parse(v);
        if ("error" in c) throw new jl(200, c.error);
        c.x_ai_workers && Object.assign(this.info, c.x_ai_workers);
        const S = c.choices[0];
        yield { content: S?.delta.content ?? "", finishReason: S?.finish_reason ?? null, chunk: c };
      }
  }
  /** The whole answer's text. */
  async text() {
    let v = "";
    for await (const c of this) v += c.content;
    return v;
  }
}
class Jf {
  baseUrl;
  tokenSource;
  fetcher;
  cachedToken = null;
  constructor(v) {
    this.baseUrl = v.baseUrl.replace(/\/+$/, ""), this.tokenSource = v.token, this.fetcher = v.fetch ?? ((...c) => globalThis.fetch(...c));
  }
  token(v = !1) {
    const c = this.tokenSource;
    if (typeof c == "string") return Promise.resolve(c);
    if (!this.cachedToken || v) {
      const S = Promise.resolve().then(c);
      S.catch(() => {
        this.cachedToken === S && (this.cachedToken = null);
      }), this.cachedToken = S;
    }
    return this.cachedToken;
  }
  /** One HTTP call; a 401 with a token function is retried once with a fresh token. */
  async request(v, c, S, j = {}) {
    const P = async (N = !1) => {
      const D = { authorization: `Bearer ${await this.token(N)}` };
      return S !== void 0 && (D["content-type"] = "application/json"), this.fetcher(this.baseUrl + c, {
        method: v,
        headers: D,
        body: S === void 0 ? void 0 : JSON.stringify(S),
        signal: j.signal
      });
    };
    let $ = await P();
    if ($.status === 401 && typeof this.tokenSource == "function" && ($ = await P(!0)), !$.ok) throw await Xf($);
    return $;
  }
  async json(v, c, S, j) {
    return await (await this.request(v, c, S, j)).json();
  }
  /** A whole chat answer at once. */
  chat(v, c) {
    return this.json("POST", "/v1/chat/completions", { ...v, stream: !1 }, c);
  }
  /** A streamed chat answer: `for await (const delta of await client.chatStream(...))`. */
  async chatStream(v, c = {}) {
    const S = new AbortController();
    c.signal && (c.signal.aborted && S.abort(), c.signal.addEventListener("abort", () => S.abort(), { once: !0 }));
    const j = await this.request(
      "POST",
      "/v1/chat/completions",
      { ...v, stream: !0 },
      { signal: S.signal }
    );
    return new qf(j, S);
  }
  embeddings(v, c) {
    return this.json("POST", "/v1/embeddings", v, c);
  }
  /** Ask a RAG collection; the answer cites its sources (`citations`). */
  ragQuery(v, c) {
    return this.json("POST", "/api/rag/query", v, c);
  }
  /** The models this token may use. */
  async models(v) {
    return (await this.json("GET", "/v1/models", void 0, v)).data;
  }
  /** The token's user, spend and cap, expiry, and the app budgets that apply to the user. */
  tokenInfo(v) {
    return this.json("GET", "/v1/tokens/current", void 0, v);
  }
  /** Thumbs up or down on an answer (its request id: `info.request_id` / `ChatStream.requestId`). */
  async feedback(v, c, S, j) {
    const P = { request_id: v, rating: c };
    S && (P.comment = S), await this.request("POST", "/v1/feedback", P, j);
  }
}
const Ba = ve.createContext(null);
function bf({ client: m, baseUrl: v, token: c, defaultModel: S = "auto", children: j }) {
  const P = ve.useMemo(() => {
    if (m) return m;
    if (!v || !c) throw new Error("AIWorkersProvider needs a client, or baseUrl and token");
    return new Jf({ baseUrl: v, token: c });
  }, [m, v, c]), [$, N] = ve.useState(S), [D, O] = ve.useState(null), [V, W] = ve.useState(0), H = ve.useMemo(
    () => ({ client: P, model: $, setModel: N, lastInfo: D, setLastInfo: O, answers: V, answered: () => W((ee) => ee + 1) }),
    [P, $, D, V]
  );
  return /* @__PURE__ */ _.jsx(Ba.Provider, { value: H, children: j });
}
function Rl() {
  const m = ve.useContext(Ba);
  if (!m) throw new Error("AI Workers widgets must be inside <AIWorkersProvider>");
  return m;
}
const ed = /(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|`[^`]+`|\[[^\]]+\]\([^)\s]+\)|\[\d+\])/g;
function td(m) {
  return /^(https?:|mailto:)/i.test(m) ? m : null;
}
function wr(m, v, c) {
  const S = [];
  let j = 0, P = 0;
  for (const $ of m.matchAll(ed)) {
    const N = $[0], D = $.index ?? 0;
    D > j && S.push(m.slice(j, D));
    const O = `${c}-${P++}`;
    if (N.startsWith("**")) S.push(/* @__PURE__ */ _.jsx("strong", { children: wr(N.slice(2, -2), v, O) }, O));
    else if (N.startsWith("`")) S.push(/* @__PURE__ */ _.jsx("code", { children: N.slice(1, -1) }, O));
    else if (N.startsWith("*")) S.push(/* @__PURE__ */ _.jsx("em", { children: wr(N.slice(1, -1), v, O) }, O));
    else if (/^\[\d+\]$/.test(N)) {
      const V = Number(N.slice(1, -1));
      v.citations?.includes(V) ? S.push(
        /* @__PURE__ */ _.jsx("sup", { children: /* @__PURE__ */ _.jsxs("a", { href: `#${v.citationPrefix ?? "aiw-cite"}-${V}`, "aria-label": `Source ${V}`, children: [
          "[",
          V,
          "]"
        ] }) }, O)
      ) : S.push(N);
    } else {
      const [, V = "", W = ""] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(N) ?? [], H = td(W);
      S.push(
        H ? /* @__PURE__ */ _.jsx("a", { href: H, target: "_blank", rel: "noopener noreferrer nofollow", children: V }, O) : V
      );
    }
    j = D + N.length;
  }
  return j < m.length && S.push(m.slice(j)), S;
}
function nd(m, v, c) {
  return m.split(`
`).flatMap((S, j) => {
    const P = wr(S, v, `${c}-l${j}`);
    return j === 0 ? P : [/* @__PURE__ */ _.jsx("br", {}, `${c}-br${j}`), ...P];
  });
}
function rd(m) {
  const v = [];
  return m.text.split(/^```[^\n]*\n?/m).forEach((S, j) => {
    if (j % 2 === 1) {
      v.push(
        /* @__PURE__ */ _.jsx("pre", { children: /* @__PURE__ */ _.jsx("code", { children: S.replace(/\n$/, "") }) }, `f${j}`)
      );
      return;
    }
    S.split(/\n{2,}/).filter((P) => P.trim()).forEach((P, $) => {
      const N = `b${j}-${$}`, D = P.split(`
`);
      D.every((O) => /^\s*[-*]\s+/.test(O)) ? v.push(
        /* @__PURE__ */ _.jsx("ul", { children: D.map((O, V) => /* @__PURE__ */ _.jsx("li", { children: wr(O.replace(/^\s*[-*]\s+/, ""), m, `${N}-${V}`) }, V)) }, N)
      ) : D.every((O) => /^\s*\d+[.)]\s+/.test(O)) ? v.push(
        /* @__PURE__ */ _.jsx("ol", { children: D.map((O, V) => /* @__PURE__ */ _.jsx("li", { children: wr(O.replace(/^\s*\d+[.)]\s+/, ""), m, `${N}-${V}`) }, V)) }, N)
      ) : v.push(/* @__PURE__ */ _.jsx("p", { children: nd(P, m, N) }, N));
    });
  }), /* @__PURE__ */ _.jsx(ve.Fragment, { children: v });
}
function Mo(m) {
  return m instanceof jl ? m.isBudgetExceeded ? "The spending limit for this chat has been reached. Please try again later or contact support." : m.isRateLimited ? `Too many messages at once. Please wait${m.retryAfter ? ` ${Math.ceil(m.retryAfter)} seconds` : " a moment"} and try again.` : m.isPolicyBlocked ? "This message was not sent because it appears to contain protected health information (such as a name, date of birth or ID number). Please remove it and try again." : m.isAuthError ? "Your chat session has expired. Please reload the page." : m.status === 403 ? "This model is not available to you. Please choose another one." : m.message || "Something went wrong. Please try again." : "The connection failed. Please check your network and try again.";
}
function ld(m) {
  if (m instanceof jl) {
    if (m.isBudgetExceeded) return "budget";
    if (m.isPolicyBlocked) return "phi";
    if (m.isRateLimited) return "rate";
    if (m.isAuthError) return "auth";
  }
  return "other";
}
function Ua({ down: m }) {
  return /* @__PURE__ */ _.jsx("svg", { viewBox: "0 0 24 24", width: "16", height: "16", "aria-hidden": "true", focusable: "false", style: m ? { transform: "rotate(180deg)" } : void 0, children: /* @__PURE__ */ _.jsx("path", { fill: "currentColor", d: "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z" }) });
}
let $a = 1;
function id({
  model: m,
  system: v,
  collection: c,
  title: S = "Assistant",
  placeholder: j = "Type a message",
  feedback: P = !0,
  className: $
}) {
  const { client: N, model: D, setLastInfo: O, answered: V } = Rl(), [W, H] = ve.useState([]), [ee, we] = ve.useState(""), Z = ve.useRef(null), te = ve.useId().replace(/:/g, ""), tt = `aiw-input-${te}`, Ve = W.some((I) => I.status === "streaming");
  ve.useEffect(() => () => Z.current?.abort(), []);
  const ke = (I, X) => H((ye) => ye.map((xe) => xe.id === I ? { ...xe, ...X } : xe)), Se = ve.useCallback(
    async (I) => {
      const X = { id: $a++, role: "assistant", content: "", status: "streaming" };
      H([...I, X]);
      const ye = new AbortController();
      Z.current = ye;
      const xe = I[I.length - 1]?.content ?? "";
      try {
        if (c) {
          const Ee = await N.ragQuery({ question: xe, collection: c }, { signal: ye.signal });
          ke(X.id, { content: Ee.answer, citations: Ee.citations, status: "done" });
        } else {
          const Ee = [
            ...v ? [{ role: "system", content: v }] : [],
            ...I.filter((ne) => ne.status !== "error").map((ne) => ({ role: ne.role, content: ne.content }))
          ], Me = await N.chatStream({ model: m ?? D, messages: Ee }, { signal: ye.signal });
          O(Me.info);
          let Le = "";
          for await (const ne of Me)
            Le += ne.content, ke(X.id, { content: Le });
          ke(X.id, { status: "done", requestId: Me.requestId, info: { ...Me.info } }), O({ ...Me.info });
        }
      } catch (Ee) {
        ye.signal.aborted ? ke(X.id, { status: "stopped" }) : ke(X.id, { status: "error", error: Mo(Ee), errorKind: ld(Ee) });
      } finally {
        Z.current === ye && (Z.current = null), V();
      }
    },
    [N, c, v, m, D, O, V]
  ), We = (I) => {
    I?.preventDefault();
    const X = ee.trim();
    !X || Ve || (we(""), Se([...W.filter((ye) => ye.status !== "error"), { id: $a++, role: "user", content: X, status: "done" }]));
  }, Te = () => {
    const I = W.map((X) => X.role).lastIndexOf("user");
    I >= 0 && Se(W.slice(0, I + 1));
  }, Ie = (I) => {
    I.key === "Enter" && !I.shiftKey && We(I);
  }, $e = async (I, X) => {
    if (I.requestId) {
      ke(I.id, { feedback: X });
      try {
        await N.feedback(I.requestId, X);
      } catch {
        ke(I.id, { feedback: void 0 });
      }
    }
  }, nt = W[W.length - 1];
  return /* @__PURE__ */ _.jsxs("section", { className: `aiw aiw-chat ${$ ?? ""}`, "aria-label": S, children: [
    /* @__PURE__ */ _.jsx("h2", { className: "aiw-title", children: S }),
    /* @__PURE__ */ _.jsx("div", { className: "aiw-log", role: "log", "aria-live": "polite", "aria-relevant": "additions text", children: W.map((I) => /* @__PURE__ */ _.jsxs("article", { className: `aiw-msg aiw-${I.role} aiw-${I.status}`, "aria-label": I.role === "user" ? "You" : S, children: [
      I.role === "assistant" ? /* @__PURE__ */ _.jsx(
        rd,
        {
          text: I.content,
          citations: I.citations?.map((X) => X.n),
          citationPrefix: `aiw-${te}-${I.id}`
        }
      ) : /* @__PURE__ */ _.jsx("p", { children: I.content }),
      I.status === "streaming" && !I.content && /* @__PURE__ */ _.jsx("span", { className: "aiw-typing", children: "Thinking…" }),
      I.status === "stopped" && /* @__PURE__ */ _.jsx("p", { className: "aiw-note", children: "Stopped." }),
      I.status === "error" && /* @__PURE__ */ _.jsx("p", { className: `aiw-error aiw-error-${I.errorKind}`, role: "alert", children: I.error }),
      I.citations && I.citations.length > 0 && /* @__PURE__ */ _.jsx("ol", { className: "aiw-citations", "aria-label": "Sources", children: I.citations.map((X) => /* @__PURE__ */ _.jsxs("li", { id: `aiw-${te}-${I.id}-${X.n}`, value: X.n, children: [
        X.title || X.source,
        X.heading ? ` — ${X.heading}` : "",
        X.page != null ? `, p. ${X.page}` : ""
      ] }, X.n)) }),
      P && I.role === "assistant" && I.status === "done" && I.requestId && /* @__PURE__ */ _.jsxs("div", { className: "aiw-feedback", role: "group", "aria-label": "Rate this answer", children: [
        /* @__PURE__ */ _.jsx("button", { type: "button", "aria-pressed": I.feedback === "up", "aria-label": "Good answer", onClick: () => {
          $e(I, "up");
        }, children: /* @__PURE__ */ _.jsx(Ua, {}) }),
        /* @__PURE__ */ _.jsx("button", { type: "button", "aria-pressed": I.feedback === "down", "aria-label": "Bad answer", onClick: () => {
          $e(I, "down");
        }, children: /* @__PURE__ */ _.jsx(Ua, { down: !0 }) })
      ] })
    ] }, I.id)) }),
    /* @__PURE__ */ _.jsxs("form", { className: "aiw-form", onSubmit: We, children: [
      /* @__PURE__ */ _.jsx("label", { htmlFor: tt, className: "aiw-visually-hidden", children: "Message" }),
      /* @__PURE__ */ _.jsx(
        "textarea",
        {
          id: tt,
          value: ee,
          rows: 2,
          placeholder: j,
          onChange: (I) => we(I.target.value),
          onKeyDown: Ie
        }
      ),
      Ve ? /* @__PURE__ */ _.jsx("button", { type: "button", className: "aiw-stop", onClick: () => Z.current?.abort(), children: "Stop" }) : /* @__PURE__ */ _.jsx("button", { type: "submit", disabled: !ee.trim(), children: "Send" }),
      !Ve && nt?.role === "assistant" && (nt.status === "error" || nt.status === "stopped") && /* @__PURE__ */ _.jsx("button", { type: "button", className: "aiw-retry", onClick: Te, children: "Retry" })
    ] })
  ] });
}
function od({ label: m = "Model", capability: v = "chat", includeAuto: c = !0, className: S }) {
  const { client: j, model: P, setModel: $ } = Rl(), [N, D] = ve.useState([]), [O, V] = ve.useState(null), W = `aiw-model-${ve.useId().replace(/:/g, "")}`;
  ve.useEffect(() => {
    const ee = new AbortController();
    return j.models({ signal: ee.signal }).then((we) => D(we.filter((Z) => !v || Z.capability === v))).catch((we) => {
      ee.signal.aborted || V(Mo(we));
    }), () => ee.abort();
  }, [j, v]);
  const H = [...c ? ["auto"] : [], ...N.map((ee) => ee.id)];
  return H.includes(P) || H.unshift(P), /* @__PURE__ */ _.jsxs("div", { className: `aiw aiw-model ${S ?? ""}`, children: [
    /* @__PURE__ */ _.jsx("label", { htmlFor: W, children: m }),
    /* @__PURE__ */ _.jsx("select", { id: W, value: P, onChange: (ee) => $(ee.target.value), children: H.map((ee) => /* @__PURE__ */ _.jsx("option", { value: ee, children: ee === "auto" ? "Auto (best for the question)" : ee }, ee)) }),
    O && /* @__PURE__ */ _.jsx("p", { className: "aiw-error", children: O })
  ] });
}
const ud = {
  NAME: "name",
  SSN: "Social Security number",
  PHONE: "phone number",
  EMAIL: "email address",
  DATE: "date",
  DOB: "date of birth",
  ADDRESS: "address",
  MRN: "medical record number"
}, sd = (m) => ud[m.toUpperCase()] ?? m.toLowerCase().replace(/_/g, " ");
function ad({ info: m, className: v }) {
  const { lastInfo: c } = Rl(), S = m === void 0 ? c : m, j = S?.phi_types ?? [], P = S?.safety_categories ?? [], $ = S?.safety === "flagged" || S?.safety === "blocked" || P.length > 0, N = S ? j.length ? "redacted" : $ ? "flagged" : "clear" : "idle";
  return /* @__PURE__ */ _.jsxs("div", { className: `aiw aiw-safety aiw-safety-${N} ${v ?? ""}`, role: "status", "aria-live": "polite", children: [
    N === "idle" && /* @__PURE__ */ _.jsx("span", { children: "No messages checked yet." }),
    N === "clear" && /* @__PURE__ */ _.jsx("span", { children: "✓ No personal health information detected in the last message." }),
    j.length > 0 && /* @__PURE__ */ _.jsxs("span", { children: [
      S?.phi_redactions ?? j.length,
      " identifier",
      (S?.phi_redactions ?? j.length) === 1 ? "" : "s",
      " ",
      "hidden from the AI model: ",
      j.map(sd).join(", "),
      "."
    ] }),
    $ && /* @__PURE__ */ _.jsxs("span", { className: "aiw-flags", children: [
      "⚠ Content flagged",
      P.length ? `: ${P.join(", ")}` : "",
      "."
    ] })
  ] });
}
const Ro = (m) => `$${m < 0.01 && m > 0 ? m.toFixed(6) : m.toFixed(2)}`;
function Aa({ label: m, spent: v, limit: c }) {
  const S = c > 0 ? Math.min(100, v / c * 100) : 100;
  return /* @__PURE__ */ _.jsxs("div", { className: `aiw-meter ${S >= 100 ? "aiw-over" : S >= 80 ? "aiw-near" : ""}`, children: [
    /* @__PURE__ */ _.jsxs("div", { className: "aiw-meter-label", children: [
      /* @__PURE__ */ _.jsx("span", { children: m }),
      /* @__PURE__ */ _.jsxs("span", { children: [
        Ro(v),
        " of ",
        Ro(c)
      ] })
    ] }),
    /* @__PURE__ */ _.jsx("div", { role: "progressbar", "aria-label": m, "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": Math.round(S), className: "aiw-bar", children: /* @__PURE__ */ _.jsx("div", { className: "aiw-bar-fill", style: { width: `${S}%` } }) })
  ] });
}
function cd({ title: m = "Usage", className: v, refreshSeconds: c = 0 }) {
  const { client: S, answers: j } = Rl(), [P, $] = ve.useState(null), [N, D] = ve.useState(null);
  return ve.useEffect(() => {
    const O = new AbortController(), V = () => S.tokenInfo({ signal: O.signal }).then((H) => {
      $(H), D(null);
    }).catch((H) => {
      O.signal.aborted || D(Mo(H));
    });
    V();
    const W = c > 0 ? setInterval(V, c * 1e3) : void 0;
    return () => {
      O.abort(), W && clearInterval(W);
    };
  }, [S, j, c]), /* @__PURE__ */ _.jsxs("section", { className: `aiw aiw-usage ${v ?? ""}`, "aria-label": m, children: [
    /* @__PURE__ */ _.jsx("h2", { className: "aiw-title", children: m }),
    N && /* @__PURE__ */ _.jsx("p", { className: "aiw-error", children: N }),
    !P && !N && /* @__PURE__ */ _.jsx("p", { className: "aiw-note", children: "Loading…" }),
    P && /* @__PURE__ */ _.jsxs(_.Fragment, { children: [
      P.max_spend_usd != null ? /* @__PURE__ */ _.jsx(Aa, { label: "This session", spent: P.spent_usd, limit: P.max_spend_usd }) : /* @__PURE__ */ _.jsxs("p", { className: "aiw-note", children: [
        "This session: ",
        Ro(P.spent_usd)
      ] }),
      P.budgets.filter((O) => O.limit_usd != null).map((O) => /* @__PURE__ */ _.jsx(
        Aa,
        {
          label: `${O.scope === "user" || O.user ? "Your" : "App"} ${O.period} budget`,
          spent: O.spent_usd,
          limit: O.limit_usd ?? 0
        },
        `${O.budget}-${O.user ?? ""}`
      ))
    ] })
  ] });
}
function fd(m, v) {
  const c = Yf.createRoot(m);
  return c.render(
    /* @__PURE__ */ _.jsx(bf, { baseUrl: v.baseUrl, token: v.token, defaultModel: v.model, children: /* @__PURE__ */ _.jsxs("div", { className: "aiw-layout", children: [
      /* @__PURE__ */ _.jsxs("div", { className: "aiw-side", children: [
        /* @__PURE__ */ _.jsx(od, {}),
        /* @__PURE__ */ _.jsx(ad, {}),
        /* @__PURE__ */ _.jsx(cd, {})
      ] }),
      /* @__PURE__ */ _.jsx(id, { title: v.title, system: v.system, collection: v.collection })
    ] }) })
  ), () => c.unmount();
}
export {
  id as AIChat,
  od as AIModelSelector,
  ad as AISafetyIndicator,
  cd as AIUsageMonitor,
  Jf as AIWorkersClient,
  jl as AIWorkersError,
  bf as AIWorkersProvider,
  rd as Markdown,
  Mo as describeError,
  fd as mount,
  Rl as useAIWorkers
};
