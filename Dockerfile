# syntax=docker/dockerfile:1
# One image for every Python service of compose.yaml and deploy/k8s/ (Rasa, action
# server, outbox dispatcher, agent console, web page, migrations). The model is trained
# here, so nothing is downloaded when a container starts.

FROM node:20-slim AS widget
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.10-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    RASA_TELEMETRY_ENABLED=false
WORKDIR /app
RUN groupadd --gid 10001 assistant \
    && useradd --uid 10001 --gid assistant --create-home assistant

COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt -c constraints.txt && pip check

# What the services and the training read, listed rather than `COPY . .`: the work
# tree's var/ holds development secrets and its .venv/ and node_modules/ are large.
COPY alembic.ini config.yml domain.yml endpoints.yml credentials.yml ./
COPY data/ data/
COPY fixtures/ fixtures/
COPY bot/ bot/
COPY actions/ actions/
COPY channels/ channels/
COPY console/ console/
COPY nlu/ nlu/
COPY scripts/serve_web.py scripts/
COPY web/index.html web/
COPY web/css/ web/css/
COPY web/js/ web/js/
# scripts/serve_web.py serves (and patches) only the widget's bundle.
COPY --from=widget /web/node_modules/rasa-webchat/lib/ web/node_modules/rasa-webchat/lib/

RUN rasa train --fixed-model-name current --out models \
    && test -s models/current.tar.gz \
    && rm -rf .rasa \
    && mkdir var && chown assistant:assistant var

# var/: where the Rasa container writes var/credentials.yml (`python -m channels`).
USER assistant
