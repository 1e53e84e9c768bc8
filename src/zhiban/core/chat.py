"""Senders for what leaves the machine: e-mail and the group-chat robots of WeCom (企业微信),
DingTalk (钉钉) and Feishu (飞书), in each robot's own message format and signature.

Each sender raises ``DeliveryError`` on any failure; the outbox decides about retries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse

import httpx
from django.conf import settings
from django.core.mail import send_mail


class DeliveryError(Exception):
    pass


def _text(subject: str, body: str) -> str:
    return f"【{subject}】\n{body}".strip() if body else f"【{subject}】"


def wecom_request(url: str, secret: str, subject: str, body: str) -> tuple[str, dict]:
    """WeCom group robot: {"msgtype": "text", "text": {"content": …}}."""
    return url, {"msgtype": "text", "text": {"content": _text(subject, body)}}


def dingtalk_request(url: str, secret: str, subject: str, body: str) -> tuple[str, dict]:
    """DingTalk custom robot; with a secret (加签) the URL carries timestamp and sign =
    base64(HMAC-SHA256(secret, "timestamp\\nsecret"))."""
    if secret:
        timestamp = str(round(time.time() * 1000))
        digest = hmac.new(
            secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256
        ).digest()
        sign = urllib.parse.quote_plus(base64.b64encode(digest))
        url = f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"
    return url, {"msgtype": "text", "text": {"content": _text(subject, body)}}


def feishu_request(url: str, secret: str, subject: str, body: str) -> tuple[str, dict]:
    """Feishu custom bot; with a secret the body carries timestamp and sign =
    base64(HMAC-SHA256(key="timestamp\\nsecret", msg=""))."""
    payload: dict = {"msg_type": "text", "content": {"text": _text(subject, body)}}
    if secret:
        timestamp = str(int(time.time()))
        digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
        payload.update(timestamp=timestamp, sign=base64.b64encode(digest).decode())
    return url, payload


ROBOTS = {"wecom": wecom_request, "dingtalk": dingtalk_request, "feishu": feishu_request}


def _robot_ok(answer: dict) -> bool:
    """WeCom/DingTalk answer errcode 0, Feishu code 0 (older: StatusCode 0)."""
    for key in ("errcode", "code", "StatusCode"):
        if key in answer:
            return answer[key] == 0
    return True


def send(channel: str, target: str, secret: str, subject: str, body: str) -> None:
    if channel == "email":
        try:
            send_mail(subject, body, None, [target], fail_silently=False)
        except Exception as exc:
            raise DeliveryError(f"e-mail: {exc}") from exc
        return
    build = ROBOTS[channel]
    url, payload = build(target, secret, subject, body)
    try:
        response = httpx.post(url, json=payload, timeout=settings.ZHIBAN_WEBHOOK_TIMEOUT)
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{channel}: {exc.__class__.__name__}: {exc}") from exc
    if response.status_code >= 300:
        raise DeliveryError(f"{channel}: HTTP {response.status_code} {response.text[:200]}")
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if isinstance(answer, dict) and not _robot_ok(answer):
        raise DeliveryError(f"{channel}: robot refused: {response.text[:200]}")
