import { Component } from '@angular/core';

@Component({ selector: 'pr-root', template: '<h1>Pressroom studio</h1>' })
export class App {}
