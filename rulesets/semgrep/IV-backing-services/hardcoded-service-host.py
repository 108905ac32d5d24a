import os

import psycopg2
import redis

# ruleid: hardcoded-service-host-python
cache = redis.Redis(host="localhost", port=6379)
# ruleid: hardcoded-service-host-python
conn = psycopg2.connect(host="db", dbname="app")
# ruleid: hardcoded-service-host-python
engine = create_engine("postgresql://app@postgres:5432/app")
# ruleid: hardcoded-service-host-python
client = MongoClient("mongodb://10.0.0.5:27017")
# ok: hardcoded-service-host-python
cache = redis.Redis.from_url(os.environ["REDIS_URL"])
# ok: hardcoded-service-host-python
conn = psycopg2.connect(host="db.prod.example.com", dbname="app")
# ok: hardcoded-service-host-python
engine = create_engine("sqlite:///app.db")
